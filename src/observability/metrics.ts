import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's own measurements, one registry per process: what only this process can see (how
 * long its steps and HTTP requests took, its memory and event loop). Values that must be right
 * across many processes (runs, queues, links, messages) are counted at scrape time from their
 * source of truth instead: see state-metrics.ts.
 */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry, prefix: 'linkflow_' });

/** How a step execution ended, as a label. `retrying`: failed, another attempt follows; `delayed`: comes back later. */
export type StepOutcomeLabel = 'completed' | 'skipped' | 'waiting' | 'ended' | 'failed' | 'retrying' | 'delayed';

const stepDuration = new Histogram({
  name: 'linkflow_step_duration_seconds',
  help: 'Time spent executing one step attempt, by action type and outcome',
  labelNames: ['type', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [processRegistry],
});

const httpDuration = new Histogram({
  name: 'linkflow_http_request_duration_seconds',
  help: 'HTTP request durations by method, route pattern (never the raw path) and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [processRegistry],
});

/** Records one step attempt that started at `startedAt` (ms since epoch) and ended now. */
export function observeStep(type: string, outcome: StepOutcomeLabel, startedAt: number): void {
  stepDuration.observe({ type, outcome }, (Date.now() - startedAt) / 1000);
}

export function observeHttpRequest(labels: { method: string; route: string; status: number }, seconds: number): void {
  httpDuration.observe({ method: labels.method, route: labels.route, status: String(labels.status) }, seconds);
}

/** The Prometheus text format (version 0.0.4). */
export const PROMETHEUS_CONTENT_TYPE = processRegistry.contentType;
