import { Registry } from 'prom-client';
import { processRegistry } from './metrics';
import { cachedPerWindow, type ScrapeCacheOptions } from './scrape-cache';
import { collectStateMetrics, type StateMetricsSources } from './state-metrics';

export interface RenderedMetrics {
  contentType: string;
  body: string;
}

/**
 * What an API process exposes at /metrics: its own measurements, fresh on every scrape, and the
 * shared state, counted at most once per window (default 15 s) however often /metrics is called:
 * those counts scan whole tables.
 */
export function allMetricsRenderer(
  sources: StateMetricsSources,
  options: ScrapeCacheOptions = {},
): () => Promise<RenderedMetrics> {
  const stateMetrics = cachedPerWindow(() => collectStateMetrics(sources), options);
  return async () => {
    const merged = Registry.merge([processRegistry, await stateMetrics()]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  };
}

/** Only this process's measurements: what a worker-only process serves on METRICS_PORT. */
export async function renderProcessMetrics(): Promise<RenderedMetrics> {
  return { contentType: processRegistry.contentType, body: await processRegistry.metrics() };
}
