import type { AuditLog } from '@aegis/contracts';

/** An audit row in words: one sentence, and the changed fields or figures beside it. */
export interface AuditDescription {
  sentence: string;
  details: string[];
}

type Summary = Record<string, unknown>;
interface Context {
  actor: string;
  /** The entity's current name (from the server), quoted, or its type and short id. */
  entity: string;
  s: Summary;
}
type Formatter = (c: Context) => string | AuditDescription;

const words = (v: unknown) => String(v).replace(/_/g, ' ');
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const quoted = (v: unknown) => `'${String(v)}'`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `fields` as people read them: `changed title, platform`. */
function fieldList(v: unknown): string {
  const names = list(v).map((f) => f.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());
  return names.length > 0 ? names.join(', ') : 'nothing';
}

/** A value in a detail line: scalars as they are, lists joined, anything else by its keys. */
export function showValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length === 0 ? '—' : v.map(showValue).join(', ');
  if (typeof v === 'object') return Object.keys(v).join(', ') || '—';
  return String(v);
}

const transition: Formatter = ({ actor, entity, s }) => ({
  sentence: `${actor} moved ${entity} from ${words(s.from)} to ${words(s.to)}`,
  details: str(s.comment) ? [`comment: ${s.comment}`] : [],
});

const sync: Formatter = ({ actor, entity, s }) => ({
  sentence: `${actor} synced ${entity}`,
  details: ['added', 'updated', 'removed', 'unchanged', 'errors']
    .filter((k) => num(s[k]) !== undefined)
    .map((k) => `${k}: ${s[k]}`)
    .concat(
      list(s.unresolvedAttackIds).length ? [`unresolved: ${list(s.unresolvedAttackIds).join(', ')}`] : [],
    ),
});

/** One formatter per action the server records (`action: '…'` in packages/server). */
export const AUDIT_FORMATTERS: Record<string, Formatter> = {
  'test_case.create': ({ actor, entity, s }) =>
    `${actor} created ${entity}${str(s.technique) ? ` for ${s.technique}` : ''}`,
  'test_case.retest': ({ actor, entity }) => `${actor} started ${entity} after remediation`,
  'test_case.update': ({ actor, entity, s }) => `${actor} changed ${fieldList(s.fields)} of ${entity}`,
  'test_case.red_record': ({ actor, entity, s }) =>
    `${actor} recorded the red side of ${entity} (${fieldList(s.fields)})`,
  'test_case.blue_record': ({ actor, entity, s }) =>
    `${actor} recorded the blue side of ${entity}${s.outcome ? `: ${words(s.outcome)}` : ''} (${fieldList(s.fields)})`,
  'test_case.start_execution': transition,
  'test_case.submit_to_blue': transition,
  'test_case.submit_for_review': transition,
  'test_case.reopen': transition,
  'test_case.assign': ({ actor, entity, s }) =>
    `${actor} assigned ${entity}${str(s.message) ? `: ${s.message}` : ` (${fieldList(Object.keys(s.assignees ?? {}))} side)`}`,
  'test_case.take': ({ actor, entity, s }) => `${actor} took the ${s.side} side of ${entity}`,
  'test_case.vote': ({ actor, entity, s }) => ({
    sentence: `${actor} ${s.decision === 'approve' ? 'approved' : 'rejected'} ${entity} for the ${s.side} side${
      s.late ? ' after it was decided' : s.result && s.result !== 'in_review' ? `: ${words(s.result)}` : ''
    }`,
    details: str(s.comment) ? [`comment: ${s.comment}`] : [],
  }),
  'remediation.create': ({ actor, s }) => `${actor} added the remediation step ${quoted(s.title)}`,
  'remediation.update': ({ actor, entity, s }) => ({
    sentence: `${actor} updated the remediation step ${entity}${s.status ? `: ${words(s.status)}` : ''}`,
    details: Object.keys(s)
      .filter((k) => k !== 'testCaseId' && k !== 'status')
      .map((k) => `${k}: ${showValue(s[k])}`),
  }),
  'evidence.upload': ({ actor, s }) =>
    `${actor} uploaded ${s.side} evidence ${quoted(s.filename)}${num(s.sizeBytes) !== undefined ? ` (${s.sizeBytes} bytes)` : ''}`,
  'evidence.delete': ({ actor, s }) => `${actor} deleted ${s.side} evidence ${quoted(s.filename)}`,
  'evidence.integrity_failure': ({ s }) => ({
    sentence: `Evidence ${quoted(s.filename)} failed its integrity check: ${words(s.reason)}`,
    details: [`expected: ${showValue(s.expected)}`, `found: ${showValue(s.found)}`],
  }),
  'user.create': ({ actor, s }) => `${actor} created the user ${s.username} (${words(s.role)})`,
  'user.update': ({ actor, entity, s }) => {
    const changes = (s.changes ?? {}) as Record<string, { from?: unknown; to?: unknown }>;
    return {
      sentence: `${actor} changed ${fieldList(Object.keys(changes))} of ${entity}`,
      details: Object.entries(changes).map(([k, c]) => `${k}: ${showValue(c?.from)} → ${showValue(c?.to)}`),
    };
  },
  'user.deactivate': ({ actor, entity }) => `${actor} deactivated ${entity}`,
  'user.reset_password': ({ actor, entity, s }) =>
    `${actor} reset the password of ${entity}${s.mustChangePassword ? ' (to be changed at next sign-in)' : ''}`,
  'user.change_password': ({ actor, s }) =>
    `${actor} changed their password${num(s.otherSessionsEnded) ? `; ${plural(s.otherSessionsEnded as number, 'other session')} ended` : ''}`,
  'auth.login': ({ actor }) => `${actor} signed in`,
  'auth.login_failed': ({ s }) =>
    `Failed sign-in as ${s.username}: ${s.reason === 'inactive' ? 'the account is deactivated' : 'wrong username or password'}`,
  'auth.logout': ({ actor }) => `${actor} signed out`,
  'api_token.create': ({ actor, s }) => `${actor} created the API token ${quoted(s.name)}`,
  'api_token.revoke': ({ actor, s }) => `${actor} revoked the API token ${quoted(s.name)}`,
  'attack.import': ({ actor, s }) => ({
    sentence: `${actor} imported ATT&CK ${s.release ?? ''} (${words(s.domain ?? 'enterprise')})`.replace(
      '  ',
      ' ',
    ),
    details: ['unchanged', 'flagged', 'moves'].filter((k) => s[k] !== undefined).map((k) => `${k}: ${s[k]}`),
  }),
  'attack.import_interrupted': ({ s }) => `An ATT&CK import from ${s.source} was interrupted`,
  'technique.revoked_moved': ({ entity, s }) =>
    `ATT&CK ${s.release ?? ''} revoked ${showValue(s.from)}; its work moved to ${entity}`,
  'technique.update': ({ actor, entity }) => `${actor} edited the notes of ${entity}`,
  'technique.review': ({ actor, entity, s }) => ({
    sentence: `${actor} marked ${entity} reviewed`,
    details: str(s.comment) ? [`comment: ${s.comment}`] : [],
  }),
  'data_source.sync': sync,
  'data_source.sync_interrupted': ({ entity }) => `A sync of ${entity} was interrupted`,
  'data_source.update': ({ actor, entity, s }) => ({
    sentence: `${actor} changed ${fieldList(Object.keys(s).filter((k) => k !== 'key'))} of ${entity}`,
    details: Object.keys(s)
      .filter((k) => k !== 'key')
      .map((k) => `${k}: ${showValue(s[k])}`),
  }),
  'data_source.upload': ({ actor, entity, s }) => `${actor} uploaded ${quoted(s.filename)} to ${entity}`,
  'detection_rule.update': ({ actor, entity, s }) =>
    `${actor} marked ${entity} ${s.deployed ? 'deployed' : 'not deployed'}`,
  'd3fend_technique.update': ({ actor, entity, s }) =>
    `${actor} set the implementation of ${entity} from ${showValue(s.from)} to ${showValue(s.to)}`,
  'claimed_layer.import': ({ actor, s }) => {
    const c = (s.counts ?? {}) as Record<string, number>;
    return `${actor} imported the layer ${quoted(s.name)} from ${quoted(s.filename)}: ${plural(c.claimed ?? 0, 'claim')} of ${plural(c.entries ?? 0, 'entry', 'entries')}`;
  },
  'claimed_layer.delete': ({ actor, s }) => `${actor} deleted the layer ${quoted(s.name)} and its claims`,
  'claimed_layer.reresolve': ({ actor, s }) =>
    `${actor} resolved the layer ${quoted(s.name)} again against ATT&CK ${showValue(s.release)}`,
  'snapshot.create': ({ actor, s }) =>
    `${actor} took the snapshot ${quoted(s.name)}${str(s.kind) && s.kind !== 'manual' ? ` (${words(s.kind)})` : ''}`,
  'snapshot.delete': ({ actor, s }) => `${actor} deleted the snapshot ${quoted(s.name)}`,
  'test_template.create': ({ actor, s }) => `${actor} created the template ${quoted(s.name)}`,
  'test_template.update': ({ actor, entity, s }) => `${actor} changed ${fieldList(s.fields)} of ${entity}`,
  'test_template.toggle': ({ actor, entity, s }) =>
    `${actor} ${s.active ? 'activated' : 'deactivated'} ${entity}`,
  'test_template.bulk_toggle': ({ actor, s }) =>
    `${actor} ${s.active ? 'activated' : 'deactivated'} ${plural(num(s.count) ?? 0, 'template')}`,
};

/** The row's entity as a sentence names it: its current name, else its type and short id. */
function entityOf(log: AuditLog): string {
  if (log.entityLabel) return quoted(log.entityLabel);
  const type = words(log.entityType);
  return log.entityId ? `${type} ${log.entityId.slice(0, 8)}` : type;
}

/** Any action without a formatter: who, what verb on which entity, and the fields it names. */
function generic({ actor, entity, s }: Context, action: string): AuditDescription {
  const verb = words(action.split('.').pop() ?? action);
  const keys = Object.keys(s);
  return {
    sentence: `${actor}: ${verb} ${entity}${keys.length ? ` (${fieldList(keys)})` : ''}`,
    details: keys.map((k) => `${k}: ${showValue(s[k])}`),
  };
}

export function describeAudit(log: AuditLog): AuditDescription {
  const actor = log.actorName ?? log.actorUsername ?? 'system';
  const context: Context = { actor, entity: entityOf(log), s: log.summary };
  const formatter = AUDIT_FORMATTERS[log.action];
  const out = formatter ? formatter(context) : generic(context, log.action);
  const { sentence, details } = typeof out === 'string' ? { sentence: out, details: [] } : out;
  // "system created …", "cli imported …" start a sentence too.
  return { sentence: sentence.charAt(0).toUpperCase() + sentence.slice(1), details };
}
