/** The periods the workflow page's funnel offers, as `?period=` values. */
export const FUNNEL_PERIODS = [
  { value: '7d', days: 7, label: 'Last 7 days' },
  { value: '30d', days: 30, label: 'Last 30 days' },
  { value: '90d', days: 90, label: 'Last 90 days' },
] as const;

export type FunnelPeriod = (typeof FUNNEL_PERIODS)[number];

const DAY_MS = 24 * 3600 * 1000;
/** When `?period=` is absent, or not one of FUNNEL_PERIODS: the last 30 days (as the API's default). */
export const DEFAULT_FUNNEL_PERIOD: FunnelPeriod = FUNNEL_PERIODS[1];

/**
 * `?period=7d` → that period. Anything else gives the default, as the console's other filters ignore
 * a value they do not know: a hand-edited address still gets a page.
 */
export function funnelPeriodOf(value: string): FunnelPeriod {
  return FUNNEL_PERIODS.find((period) => period.value === value) ?? DEFAULT_FUNNEL_PERIOD;
}

/** The period as [from, to): the last `days` days up to now. */
export function periodRange(period: FunnelPeriod, now = new Date()): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - period.days * DAY_MS), to: now };
}
