import { z } from 'zod';
import { PageQuery } from './envelopes';

export const AuditLog = z.object({
  id: z.uuid(),
  at: z.iso.datetime(),
  actorId: z.uuid().nullable(),
  actorUsername: z.string().nullable(),
  /** The actor's current display name (null: not a user, or deleted). */
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  /** The entity's current name (a test's title, a user's display name); null when unknown or gone. */
  entityLabel: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
});
export type AuditLog = z.infer<typeof AuditLog>;

export const ListAuditLogsQuery = PageQuery.extend({
  actorId: z.uuid().optional(),
  action: z.string().max(100).optional(),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type ListAuditLogsQuery = z.infer<typeof ListAuditLogsQuery>;
