CREATE TABLE "attack_technique_uses" (
	"domain" text NOT NULL,
	"source_id" uuid NOT NULL,
	"technique_id" uuid NOT NULL,
	CONSTRAINT "attack_technique_uses_source_id_technique_id_pk" PRIMARY KEY("source_id","technique_id")
);
--> statement-breakpoint
ALTER TABLE "attack_technique_uses" ADD CONSTRAINT "attack_technique_uses_source_id_attack_objects_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."attack_objects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attack_technique_uses" ADD CONSTRAINT "attack_technique_uses_technique_id_attack_objects_id_fk" FOREIGN KEY ("technique_id") REFERENCES "public"."attack_objects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attack_technique_uses_technique_idx" ON "attack_technique_uses" USING btree ("technique_id");--> statement-breakpoint
-- Hand-written: derive the table once from the knowledge base already loaded (later imports rebuild it).
INSERT INTO "attack_technique_uses" ("domain", "source_id", "technique_id")
SELECT DISTINCT r.domain, g.id, t.id
  FROM attack_relationships r
  JOIN attack_objects g ON g.domain = r.domain AND g.stix_id = r.source_ref AND NOT g.revoked AND NOT g.deprecated
  JOIN attack_objects t ON t.domain = r.domain AND t.stix_id = r.target_ref AND t.type = 'attack-pattern'
       AND NOT t.revoked AND NOT t.deprecated
 WHERE r.relationship_type = 'uses' AND NOT r.revoked AND NOT r.deprecated;
