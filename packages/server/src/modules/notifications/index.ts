export type { LiveEvent, LiveListener } from './live';
export { NOTIFICATION_RETENTION_DAYS, notificationJobs } from './notifications.jobs';
export { type NotificationRoutesOptions, notificationRoutes } from './notifications.routes';
export {
  createNotificationsService,
  type NewNotification,
  type NotificationsService,
  type ResolveNotifications,
  toNotification,
} from './notifications.service';
