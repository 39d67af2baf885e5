/** Heatmap layers over the whole matrix (analysis spec §3.2) and their Navigator export (§3.3). */
export { heatmapRoutes } from './heatmap.routes';
export { createHeatmapService, type HeatmapService } from './heatmap.service';
