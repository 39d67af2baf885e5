export { actorOf } from './actor';
export { auditLogRoutes } from './audit-logs.routes';
export {
  type AuditActor,
  type AuditEntry,
  type AuditService,
  CLI_ACTOR,
  createAuditService,
  recordAudit,
  SYSTEM_ACTOR,
} from './audit-logs.service';
export { type AuditEntityNamer, namerOf } from './audit-names';
