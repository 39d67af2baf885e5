export { actorOf } from './actor';
export { auditLogRoutes } from './audit-logs.routes';
export {
  type AuditActor,
  type AuditEntry,
  CLI_ACTOR,
  listAudit,
  recordAudit,
  SYSTEM_ACTOR,
} from './audit-logs.service';
