import {
  CompareFullQuery,
  CreateSnapshot,
  errorResponses,
  NoContent,
  ROLE_GROUPS,
  SnapshotComparison,
  SnapshotDetail,
  SnapshotIdParams,
  SnapshotList,
  SnapshotListQuery,
  SnapshotTrend,
  SnapshotTrendQuery,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../audit-logs';
import type { SnapshotsService } from './snapshots.service';

const leads = { auth: { roles: ROLE_GROUPS.leads } } as const;
const tags = ['snapshots'];

/** Snapshots and their comparison (analysis spec §4): leads and admin, as the seed's Comparison page. */
export function snapshotsRoutes(snapshots: SnapshotsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/snapshots',
      {
        config: leads,
        schema: {
          operationId: 'listSnapshots',
          tags,
          summary: 'Snapshots, newest first (manual, scheduled and before each ATT&CK upgrade)',
          querystring: SnapshotListQuery,
          response: { 200: SnapshotList },
        },
      },
      async (req) => snapshots.list(req.query),
    );
    app.post(
      '/snapshots',
      {
        config: leads,
        schema: {
          operationId: 'createSnapshot',
          tags,
          summary: 'Take a snapshot now (scores are brought up to date first); audited',
          body: CreateSnapshot,
          response: { 201: SnapshotDetail },
        },
      },
      async (req, reply) => reply.code(201).send(await snapshots.take(actorOf(req), req.body)),
    );
    app.get(
      '/snapshots/compare',
      {
        config: leads,
        schema: {
          operationId: 'compareSnapshots',
          tags,
          summary:
            'Two snapshots (or one and now) technique by technique: added, removed, moved across releases, regressed, improved, newly tested; totals, tactics and the organisation score’s move',
          querystring: CompareFullQuery,
          response: { 200: SnapshotComparison },
        },
      },
      async (req) => snapshots.compare(req.query),
    );
    app.get(
      '/snapshots/trend',
      {
        config: leads,
        schema: {
          operationId: 'getSnapshotTrend',
          tags,
          summary: 'The organisation score and coverage counts at each snapshot of a range, oldest first',
          querystring: SnapshotTrendQuery,
          response: { 200: SnapshotTrend },
        },
      },
      async (req) => snapshots.trend(req.query),
    );
    app.get(
      '/snapshots/:id',
      {
        config: leads,
        schema: {
          operationId: 'getSnapshot',
          tags,
          summary: 'One snapshot with its tactic scores',
          params: SnapshotIdParams,
          response: { 200: SnapshotDetail },
        },
      },
      async (req) => snapshots.detail(req.params.id),
    );
    app.delete(
      '/snapshots/:id',
      {
        config: { auth: { roles: ROLE_GROUPS.admins } },
        schema: {
          operationId: 'deleteSnapshot',
          tags,
          summary:
            'Delete a manual or pre-upgrade snapshot (scheduled ones leave through the retention); audited',
          params: SnapshotIdParams,
          response: { 204: NoContent, ...errorResponses(409) },
        },
      },
      async (req, reply) => {
        await snapshots.remove(actorOf(req), req.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
