/** Operational metrics, trends and the data-integrity view (analysis spec §2). */
export { metricsRoutes } from './metrics.routes';
export { createMetricsService, type MetricsService } from './metrics.service';
