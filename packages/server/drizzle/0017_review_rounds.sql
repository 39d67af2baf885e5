ALTER TABLE "test_cases" ADD COLUMN "review_round" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "test_transitions" ADD COLUMN "review_round" integer;--> statement-breakpoint
ALTER TABLE "test_votes" ADD COLUMN "round" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "test_votes" DROP CONSTRAINT "test_votes_test_case_id_side_pk";--> statement-breakpoint
ALTER TABLE "test_votes" ADD CONSTRAINT "test_votes_test_case_id_round_side_pk" PRIMARY KEY("test_case_id","round","side");--> statement-breakpoint
-- Rounds so far: each reopen started a new one. Votes of earlier rounds were cleared at reopen, so the
-- votes kept are the current round's; decisions before this migration get the round they closed.
UPDATE "test_cases" t SET "review_round" = 1 + r.n
  FROM (SELECT test_case_id, count(*)::int AS n FROM test_transitions WHERE action = 'reopen' GROUP BY test_case_id) r
 WHERE r.test_case_id = t.id;--> statement-breakpoint
UPDATE "test_votes" v SET "round" = t.review_round FROM test_cases t WHERE t.id = v.test_case_id AND t.review_round <> 1;--> statement-breakpoint
UPDATE "test_transitions" x SET "review_round" = 1 + (
  SELECT count(*) FROM test_transitions p
   WHERE p.test_case_id = x.test_case_id AND p.action = 'reopen' AND p.at < x.at)
 WHERE x.action = 'review';
