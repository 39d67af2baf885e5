import { type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db';

/**
 * The synthetic organisation, table by table, each in one set-based statement. Randomness is a pure
 * function of (seed, salt, key): the first 32 bits of md5 as a fraction in [0, 1). Every id is the
 * md5 of the seed and a name, so the same seed gives the same rows on PGlite and PostgreSQL.
 */
export interface SeedPlan {
  seed: number;
  tests: number;
  rules: number;
  /** Users per role. */
  users: Record<'admin' | 'red_lead' | 'blue_lead' | 'red_tech' | 'blue_tech' | 'viewer', number>;
  passwordHash: string;
  /** The newest moment of the two years the data spans. */
  anchor: Date;
}

const ENTERPRISE = sql`'enterprise-attack'`;

/** A deterministic fraction in [0, 1) for this seed, salt (a constant) and key (an SQL expression). */
function rnd(p: SeedPlan, salt: string, key: SQL): SQL {
  return sql`((('x' || substr(md5(${sql.raw(`'${p.seed}:${salt}:'`)} || (${key})::text), 1, 8))::bit(32)::bigint)::float8 / 4294967296.0)`;
}
/** A version-4-shaped UUID from md5 (the version and variant digits set, as zod's uuid() checks). */
const idOf = (p: SeedPlan, kind: string, key: SQL) =>
  sql`overlay(overlay(md5(${sql.raw(`'${p.seed}:${kind}:'`)} || (${key})::text) placing '4' from 13) placing '8' from 17)::uuid`;
const anchorOf = (p: SeedPlan) => sql`${p.anchor.toISOString()}::timestamptz`;

/**
 * Live Enterprise techniques, and synthetic users of one role, as one array each (ordered by ATT&CK id
 * / username). Rows pick from them by index: an array subscript is computed once per row, where a
 * join on a computed key would be planned as a nested loop over every pair.
 */
const TECH_IDS = sql`select coalesce(array_agg(id order by attack_id), '{}') as ids
  from attack_objects where domain = ${ENTERPRISE} and type = 'attack-pattern' and not revoked and not deprecated`;
const roleIds = (role: string) =>
  sql`select coalesce(array_agg(id order by username), '{}') as ids from users where role = ${role} and username like 'synth-%'`;
/** The element of `ids` (a one-row CTE cross-joined in the FROM) at fraction `f` ∈ [0, 1). */
const pick = (ids: string, f: SQL) =>
  sql`${sql.raw(ids)}.ids[1 + floor((${f}) * cardinality(${sql.raw(ids)}.ids))::int]`;

export async function countExisting(tx: Tx): Promise<{ tests: number; techniques: number }> {
  const r = await tx.execute<{ tests: number; techniques: number }>(
    sql`select (select count(*) from test_cases)::int as tests,
               (select cardinality(ids) from (${TECH_IDS}) t)::int as techniques`,
  );
  return r.rows[0] ?? { tests: 0, techniques: 0 };
}

export async function insertUsers(tx: Tx, p: SeedPlan): Promise<void> {
  const roles = sql.join(
    Object.entries(p.users).map(([role, n]) => sql`(${role}::text, ${n}::int)`),
    sql`, `,
  );
  const since = sql`${anchorOf(p)} - interval '760 days'`;
  await tx.execute(sql`
    insert into users (id, username, email, display_name, role, password_hash, created_at, updated_at,
                       password_changed_at)
    select ${idOf(p, 'user', sql`r.role || ':' || g`)},
           'synth-' || replace(r.role, '_', '-') || '-' || lpad(g::text, 3, '0'),
           'synth-' || replace(r.role, '_', '-') || '-' || lpad(g::text, 3, '0') || '@synthetic.example',
           initcap(replace(r.role, '_', ' ')) || ' ' || g, r.role, ${p.passwordHash}, ${since}, ${since}, ${since}
      from (values ${roles}) as r(role, n)
      cross join lateral generate_series(1, r.n) as g`);
}

/**
 * Tests: technique drawn with a skew (a few techniques get many tests), state by a fixed mix, times
 * over two years before the anchor. Every 25th test is the re-test of the one before it (which is
 * validated as not detected), so re-test chains exist.
 */
export async function insertTests(tx: Tx, p: SeedPlan): Promise<void> {
  const i = sql`g.i`;
  const root = sql`g.root_i`;
  const a = anchorOf(p);
  await tx.execute(sql`
    with techs as (${TECH_IDS}), reds as (${roleIds('red_tech')}), blues as (${roleIds('blue_tech')}),
    g as (
      select i, case when i % 25 = 24 then i - 1 else i end as root_i from generate_series(0, ${p.tests - 1}::int) i
    ),
    base as (
      select g.i, g.root_i,
             case when g.i % 25 = 23 then 'validated'
                  else (case when ${rnd(p, 'state', i)} < 0.12 then 'draft'
                             when ${rnd(p, 'state', i)} < 0.22 then 'red_executing'
                             when ${rnd(p, 'state', i)} < 0.32 then 'blue_evaluating'
                             when ${rnd(p, 'state', i)} < 0.40 then 'in_review'
                             when ${rnd(p, 'state', i)} < 0.93 then 'validated'
                             else 'rejected' end) end as state,
             case when g.i % 25 = 23 then 'not_detected'
                  else (case when ${rnd(p, 'outcome', i)} < 0.25 then 'prevented'
                             when ${rnd(p, 'outcome', i)} < 0.60 then 'detected'
                             when ${rnd(p, 'outcome', i)} < 0.80 then 'logged'
                             else 'not_detected' end) end as outcome,
             ${a} - interval '730 days' * ${rnd(p, 'created', root)}
               + case when g.i <> g.root_i then interval '20 days' else interval '0' end as created_at,
             ${pick('techs', sql`power(${rnd(p, 'technique', root)}, 1.6)`)} as technique_id,
             ${pick('reds', sql`(g.i % 97) / 97.0`)} as red_id,
             ${pick('blues', sql`((g.i / 3) % 89) / 89.0`)} as blue_id
        from g cross join techs cross join reds cross join blues
    ),
    timed as (
      select b.*,
             (case b.state when 'draft' then 0 when 'red_executing' then 1 when 'blue_evaluating' then 2
                           when 'in_review' then 3 else 4 end) as rank,
             least(${a}, b.created_at + interval '2 days' * ${rnd(p, 'start', sql`b.i`)}) as started_at
        from base b
    ),
    planned as (
      select t.*,
             least(${a}, t.started_at + interval '1 minute' * (5 + 120 * ${rnd(p, 'run', sql`t.i`)})) as ended_at,
             least(${a}, t.started_at + interval '1 day' * (1 + 10 * ${rnd(p, 'decide', sql`t.i`)})) as decided_at
        from timed t
    )
    insert into test_cases (id, technique_id, tactic, title, description, platform, state, expected_outcome,
        created_by, assigned_red_id, assigned_blue_id, procedure, commands, target_host,
        execution_started_at, execution_ended_at, outcome, outcome_explicit, detected_at, blue_notes,
        retest_of_id, chain_root_id, retest_number, validated_at, rejected_at, created_at, updated_at)
    select ${idOf(p, 'test', sql`x.i`)}, te.id, te.tactics[1],
           te.name || ' — procedure ' || (x.i + 1), 'Synthetic test ' || (x.i + 1) || ' of ' || te.name,
           te.platforms[1 + floor(${rnd(p, 'platform', sql`x.i`)} * greatest(1, cardinality(te.platforms)))::int],
           x.state,
           case when ${rnd(p, 'expect', sql`x.i`)} < 0.5 then 'detected' else null end,
           x.red_id, case when ${rnd(p, 'assign-red', sql`x.i`)} < 0.9 then x.red_id end,
           case when x.rank >= 2 or ${rnd(p, 'assign-blue', sql`x.i`)} < 0.5 then x.blue_id end,
           case when x.rank >= 1 then 'Run the procedure for ' || te.name else '' end,
           case when x.rank >= 1 then 'invoke-step ' || (x.i + 1) else '' end,
           case when x.rank >= 1 then 'host-' || lpad((x.i % 400)::text, 3, '0') || '.corp.example' end,
           case when x.rank >= 1 then x.started_at end,
           case when x.rank >= 2 then x.ended_at end,
           case when x.rank >= 3 then x.outcome end,
           x.rank >= 3 and ${rnd(p, 'explicit', sql`x.i`)} < 0.3,
           case when x.rank >= 3 and x.outcome in ('prevented', 'detected') then x.ended_at + interval '3 minutes' end,
           case when x.rank >= 3 then 'Blue notes for test ' || (x.i + 1) else '' end,
           case when x.i <> x.root_i then ${idOf(p, 'test', sql`x.root_i`)} end,
           ${idOf(p, 'test', sql`x.root_i`)},
           case when x.i <> x.root_i then 1 else 0 end,
           case when x.state = 'validated' then x.decided_at end,
           case when x.state = 'rejected' then x.decided_at end,
           x.created_at,
           case x.rank when 0 then x.created_at when 1 then x.started_at when 2 then x.ended_at
                       when 3 then least(${a}, x.ended_at + interval '1 hour') else x.decided_at end
      from planned x
      join attack_objects te on te.id = x.technique_id`);
}

/** Per-tool outcomes for every test blue has evaluated: one to three tools. */
export async function insertToolResults(tx: Tx, p: SeedPlan): Promise<void> {
  await tx.execute(sql`
    insert into test_tool_results (id, test_case_id, tool, outcome, first_logged_at, detected_at, prevented_at, notes)
    select ${idOf(p, 'tool', sql`t.id::text || tool.name`)}, t.id, tool.name,
           case when tool.k = 1 then t.outcome
                else (array['prevented','detected','logged','not_detected'])[1 + floor(${rnd(p, 'tool', sql`t.id::text || tool.name`)} * 4)::int] end,
           t.execution_ended_at + interval '1 minute',
           case when t.outcome in ('prevented','detected') then t.detected_at end,
           case when t.outcome = 'prevented' then t.detected_at end, ''
      from test_cases t
      cross join lateral (values (1, 'EDR'), (2, 'SIEM'), (3, 'Firewall')) as tool(k, name)
     where t.outcome is not null and tool.k <= 1 + floor(${rnd(p, 'tools', sql`t.id`)} * 3)`);
}

/** Each state change a test went through, from creation to where it is now. */
export async function insertTransitions(tx: Tx, p: SeedPlan): Promise<void> {
  await tx.execute(sql`
    with leads as (${roleIds('red_lead')})
    insert into test_transitions (id, test_case_id, from_state, to_state, action, actor_id, comment, at,
                                  review_round)
    select ${idOf(p, 'transition', sql`t.id::text || s.step`)}, t.id, s.from_state,
           case when s.step = 4 then t.state else s.to_state end, s.action,
           case when s.step = 3 then t.assigned_blue_id
                when s.step = 4 then ${pick('leads', rnd(p, 'pick', sql`t.id`))} else t.created_by end,
           '', s.at, case when s.step = 4 then 1 end
      from test_cases t
      cross join leads
      cross join lateral (values
        (0, null, 'draft', 'create', t.created_at),
        (1, 'draft', 'red_executing', 'start_execution', t.execution_started_at),
        (2, 'red_executing', 'blue_evaluating', 'submit_to_blue', t.execution_ended_at),
        (3, 'blue_evaluating', 'in_review', 'submit_for_review',
            case when t.state = 'in_review' then t.updated_at
                 else t.execution_ended_at + (coalesce(t.validated_at, t.rejected_at) - t.execution_ended_at) / 2 end),
        (4, 'in_review', null, 'review', coalesce(t.validated_at, t.rejected_at))
      ) as s(step, from_state, to_state, action, at)
     where s.step <= (case t.state when 'draft' then 0 when 'red_executing' then 1 when 'blue_evaluating' then 2
                                   when 'in_review' then 3 else 4 end)
       and s.at is not null`);
}

/**
 * Leads' votes: both approve a validated test; one side rejects a rejected test and the other side
 * had approved (a disagreement) in 40 % of them, rejected too in 20 %, not voted in the rest; half
 * of those in review have one vote.
 */
export async function insertVotes(tx: Tx, p: SeedPlan): Promise<void> {
  const decider = sql`case when ${rnd(p, 'reject', sql`t.id`)} < 0.5 then 'red' else 'blue' end`;
  const other = rnd(p, 'other-vote', sql`t.id`);
  await tx.execute(sql`
    with reds as (${roleIds('red_lead')}), blues as (${roleIds('blue_lead')})
    insert into test_votes (test_case_id, side, voter_id, decision, comment, voted_at)
    select t.id, v.side,
           case v.side when 'red' then ${pick('reds', rnd(p, 'pick', sql`t.id`))}
                       else ${pick('blues', rnd(p, 'pick', sql`t.id`))} end,
           case when t.state <> 'rejected' or v.side = ${decider} or ${other} >= 0.4 then
                  case when t.state = 'rejected' then 'reject' else 'approve' end
                else 'approve' end, '',
           case when t.state = 'rejected' and v.side <> ${decider} and ${other} < 0.4
                then t.rejected_at - interval '1 hour'
                else coalesce(t.validated_at, t.rejected_at, t.updated_at) end
      from test_cases t
      cross join reds cross join blues
      cross join lateral (values ('red'), ('blue')) as v(side)
     where t.state = 'validated'
        or (t.state = 'rejected' and (v.side = ${decider} or ${other} < 0.6))
        or (t.state = 'in_review' and v.side = 'red' and ${rnd(p, 'vote', sql`t.id`)} < 0.5)`);
}

/** Evidence metadata (no blobs): 0–11 files per executed test, red's first, blue's once blue has it. */
export async function insertEvidence(tx: Tx, p: SeedPlan): Promise<void> {
  await tx.execute(sql`
    insert into evidence (id, test_case_id, side, filename, content_type, size_bytes, sha256, blob_key,
                          description, uploaded_by, created_at)
    select ${idOf(p, 'evidence', sql`t.id::text || ':' || e`)}, t.id,
           case when t.execution_ended_at is null or e % 2 = 1 then 'red' else 'blue' end,
           'capture-' || e || case when e % 3 = 0 then '.png' when e % 3 = 1 then '.txt' else '.json' end,
           case when e % 3 = 0 then 'image/png' when e % 3 = 1 then 'text/plain' else 'application/json' end,
           (1000 + ${rnd(p, 'size', sql`t.id::text || e`)} * 5000000)::bigint,
           md5(t.id::text || e) || md5(e || t.id::text),
           'synthetic/' || t.id || '/' || e, '',
           case when t.execution_ended_at is null or e % 2 = 1 then t.assigned_red_id else t.assigned_blue_id end,
           t.execution_started_at + interval '1 minute' * e
      from test_cases t
      cross join lateral generate_series(1, floor(${rnd(p, 'evidence', sql`t.id`)} * 12)::int) as e
     where t.execution_started_at is not null`);
}

/** Remediation steps for validated gaps (logged or not detected). */
export async function insertRemediation(tx: Tx, p: SeedPlan): Promise<void> {
  await tx.execute(sql`
    with blues as (${roleIds('blue_tech')})
    insert into remediation_steps (id, test_case_id, title, description, assignee_id, due_date, status,
                                   created_by, created_at, updated_at, completed_at)
    select ${idOf(p, 'remediation', sql`t.id::text || ':' || s`)}, t.id, 'Close gap ' || s || ': ' || t.title, '',
           ${pick('blues', rnd(p, 'pick', sql`t.id`))}, t.validated_at + interval '30 days',
           st.status, t.created_by, t.validated_at, t.validated_at,
           -- Closed steps were closed 1–60 days after the failing test was validated (MTTR has data), not after the anchor.
           case when st.status in ('done', 'wont_fix')
                then least(${anchorOf(p)}, t.validated_at + (1 + ${rnd(p, 'closed', sql`t.id::text || s`)} * 59) * interval '1 day') end
      from test_cases t
      cross join blues
      cross join lateral generate_series(1, 1 + floor(${rnd(p, 'steps', sql`t.id`)} * 3)::int) as s
      cross join lateral (select (array['open','in_progress','done','wont_fix'])[
                            1 + floor(${rnd(p, 'step', sql`t.id::text || s`)} * 4)::int] as status) st
     where t.state = 'validated' and t.outcome in ('logged', 'not_detected')`);
}

/** A notification per state change to whoever acts next; most are read. */
export async function insertNotifications(tx: Tx, p: SeedPlan): Promise<void> {
  await tx.execute(sql`
    with leads as (${roleIds('blue_lead')})
    insert into notifications (id, user_id, kind, title, body, entity_type, entity_id, read_at, created_at)
    select ${idOf(p, 'notification', sql`tr.id`)}, u.user_id, 'test.transition',
           t.title || ' is now ' || tr.to_state, '', 'test_case', t.id::text,
           case when ${rnd(p, 'read', sql`tr.id`)} < 0.8 then tr.at + interval '1 hour' end, tr.at
      from test_transitions tr
      join test_cases t on t.id = tr.test_case_id
      cross join leads
      cross join lateral (select case tr.to_state when 'draft' then t.assigned_red_id
                                                  when 'red_executing' then t.assigned_red_id
                                                  when 'blue_evaluating' then t.assigned_blue_id
                                                  when 'in_review' then ${pick('leads', rnd(p, 'pick', sql`t.id`))}
                                                  else t.created_by end as user_id) u
     where u.user_id is not null`);
}

/** The audit trail of the tests: one row per creation and state change, by its actor. */
export async function insertAudit(tx: Tx, p: SeedPlan): Promise<void> {
  await tx.execute(sql`
    insert into audit_logs (id, at, actor_id, actor_username, action, entity_type, entity_id, summary, ip, request_id)
    select ${idOf(p, 'audit', sql`tr.id`)}, tr.at, tr.actor_id, u.username,
           case tr.action when 'create' then 'test_case.create' when 'review' then 'test_case.vote'
                          else 'test_case.' || tr.action end,
           'test_case', tr.test_case_id::text,
           jsonb_build_object('from', tr.from_state, 'to', tr.to_state),
           '10.0.' || floor(${rnd(p, 'ip', sql`tr.id`)} * 256)::int || '.' || floor(${rnd(p, 'ip2', sql`tr.id`)} * 256)::int,
           md5(tr.id::text)
      from test_transitions tr
      left join users u on u.id = tr.actor_id`);
}

/** Detection rules of a synthetic source, each mapped to one or two techniques. */
export async function insertRules(tx: Tx, p: SeedPlan): Promise<void> {
  if (p.rules <= 0) return;
  await tx.execute(sql`
    insert into detection_rules (id, source, source_id, title, description, status, level, log_source, author,
                                 tags, raw, raw_format, content_hash, deployed, created_at, updated_at)
    select ${idOf(p, 'rule', sql`g`)}, 'synthetic', 'SYN-' || lpad(g::text, 5, '0'),
           'Synthetic detection ' || g, 'Detects behaviour ' || g,
           (array['stable','test','experimental'])[1 + floor(${rnd(p, 'rstatus', sql`g`)} * 3)::int],
           (array['low','medium','high','critical'])[1 + floor(${rnd(p, 'rlevel', sql`g`)} * 4)::int],
           jsonb_build_object('product', (array['windows','linux','macos'])[1 + g % 3], 'category', 'process_creation'),
           'Synthetic', '{}', 'title: Synthetic detection ' || g || E'\ndetection:\n  condition: selection\n', 'yaml',
           md5('rule' || g), ${rnd(p, 'deployed', sql`g`)} < 0.3, ${anchorOf(p)}, ${anchorOf(p)}
      from generate_series(1, ${p.rules}::int) g`);
  await tx.execute(sql`
    with techs as (${TECH_IDS})
    insert into rule_techniques (rule_id, technique_id)
    select distinct r.id, ${pick('techs', rnd(p, 'rtech', sql`r.id::text || j`))}
      from detection_rules r
      cross join techs
      cross join lateral generate_series(1, 1 + floor(${rnd(p, 'rtechs', sql`r.id`)} * 2)::int) as j
     where r.source = 'synthetic'`);
}

export async function liveTechniqueIds(tx: Tx): Promise<string[]> {
  const r = await tx.execute<{ id: string }>(sql`select distinct technique_id as id from test_cases`);
  return r.rows.map((x) => x.id);
}

/** Row counts of every table the generator writes. */
export async function seededCounts(tx: Db | Tx): Promise<Record<string, number>> {
  const tables = [
    'users',
    'test_cases',
    'test_tool_results',
    'test_transitions',
    'test_votes',
    'evidence',
    'remediation_steps',
    'notifications',
    'audit_logs',
    'detection_rules',
    'rule_techniques',
  ];
  const r = await tx.execute<Record<string, number>>(
    sql.raw(`select ${tables.map((t) => `(select count(*) from ${t})::int as ${t}`).join(', ')}`),
  );
  return r.rows[0] ?? {};
}

/** A hash of the generated content that does not depend on the database's own ids (techniques by ATT&CK id). */
export async function contentHash(tx: Db | Tx): Promise<string> {
  const r = await tx.execute<{ h: string }>(sql`
    select md5(string_agg(concat_ws('|', t.id, o.attack_id, t.title, t.state, t.outcome, t.assigned_red_id,
                                    t.assigned_blue_id, t.created_at, t.updated_at, t.validated_at,
                                    (select count(*) from evidence e where e.test_case_id = t.id),
                                    (select count(*) from test_transitions x where x.test_case_id = t.id)),
                          ',' order by t.id)) as h
      from test_cases t join attack_objects o on o.id = t.technique_id`);
  return r.rows[0]?.h ?? '';
}
