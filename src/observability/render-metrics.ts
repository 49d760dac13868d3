import { Registry } from 'prom-client';
import { processRegistry } from './metrics';
import { collectStateMetrics, type StateMetricsSources } from './state-metrics';

export interface RenderedMetrics {
  contentType: string;
  body: string;
}

/** Everything an API process exposes at /metrics: its own measurements and the shared state. */
export async function renderAllMetrics(sources: StateMetricsSources): Promise<RenderedMetrics> {
  const merged = Registry.merge([processRegistry, await collectStateMetrics(sources)]);
  return { contentType: merged.contentType, body: await merged.metrics() };
}

/** Only this process's measurements: what a worker-only process serves on METRICS_PORT. */
export async function renderProcessMetrics(): Promise<RenderedMetrics> {
  return { contentType: processRegistry.contentType, body: await processRegistry.metrics() };
}
