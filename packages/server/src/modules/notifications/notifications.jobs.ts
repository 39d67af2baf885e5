import type { JobDefinition } from '../../infra/jobs';
import type { NotificationsService } from './notifications.service';

export const NOTIFICATION_RETENTION_DAYS = 30;

/** Read notifications expire after `retentionDays`; unread ones stay until the user has seen them. */
export function notificationJobs(deps: {
  service: Pick<NotificationsService, 'deleteReadOlderThan'>;
  retentionDays?: number;
}): JobDefinition[] {
  const days = deps.retentionDays ?? NOTIFICATION_RETENTION_DAYS;
  return [
    {
      name: 'notifications.cleanup',
      description: `Deletes notifications read over ${days} days ago`,
      schedule: '29 3 * * *',
      async run(_data, ctx) {
        const deleted = await deps.service.deleteReadOlderThan(days);
        ctx.logger.info({ deleted, retentionDays: days }, 'old read notifications deleted');
      },
    },
  ];
}
