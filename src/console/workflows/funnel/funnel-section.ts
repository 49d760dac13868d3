import type { Tx } from '../../../db/data-source';
import { workflowFunnel, type FunnelStep, type WorkflowFunnel } from '../../../links/workflow-funnel';
import { barChartSvg, type BarRow } from './funnel-chart';
import { FUNNEL_PERIODS, periodRange, type FunnelPeriod } from './funnel-period';

/** A step's line in the funnel: its counts and the runs cancelled there (counted in `reached` only). */
export interface StepLine extends FunnelStep {
  cancelled: number;
}

/** What the workflow page's funnel section shows (see FUNNEL_PARTIAL). */
export interface FunnelSection {
  period: FunnelPeriod;
  /** "last 30 days" */
  periodText: string;
  periods: { value: string; label: string; selected: boolean }[];
  /** No run started in the period. */
  empty: boolean;
  /** The legend of the steps chart, in the bars' order. */
  outcomes: readonly string[];
  stepsChart: string;
  steps: StepLine[];
  /** Only for a workflow that mints one-time links (or minted some in the period). */
  links: (WorkflowFunnel['links'] & { chart: string; openedShare: string; bookedShare: string }) | null;
}

const OUTCOMES = ['completed', 'waiting', 'failed', 'skipped', 'cancelled'] as const;

const share = (part: number, whole: number): string => (whole ? `${Math.round((part / whole) * 100)}%` : '—');

function stepRow(step: StepLine): BarRow {
  const parts = OUTCOMES.filter((outcome) => step[outcome] > 0).map((outcome) => `${step[outcome]} ${outcome}`);
  return {
    label: step.name,
    total: step.reached,
    segments: OUTCOMES.map((outcome) => ({
      className: `funnel-${outcome}`,
      value: step[outcome],
      title: `${step[outcome]} ${outcome}`,
    })),
    detail: step.reached ? parts.join(' · ') : 'No run reached this step',
  };
}

function linkRows(links: WorkflowFunnel['links']): BarRow[] {
  const row = (label: string, className: string, value: number, detail: string): BarRow => ({
    label,
    total: value,
    segments: [{ className, value, title: `${value} ${label.toLowerCase()}` }],
    detail,
  });
  return [
    row('Links minted', 'funnel-minted', links.minted, 'By the link steps of these runs'),
    row('Booking page opened', 'funnel-opened', links.opened, `${share(links.opened, links.minted)} of minted links`),
    row('Booked', 'funnel-booked', links.booked, `${share(links.booked, links.minted)} of minted links`),
  ];
}

/**
 * The funnel of a workflow for a period: how far its runs got, step by step, and for a workflow
 * that mints one-time links, minted → opened → booked; each drawn as a chart, with the numbers in a
 * table for screen readers. The data is the API's (`GET /workflows/:id/funnel`).
 */
export async function funnelSection(
  tx: Tx,
  options: { accountId: string; workflowId: string; period: FunnelPeriod; mintsLinks: boolean },
): Promise<FunnelSection> {
  const funnel = await workflowFunnel(tx, {
    accountId: options.accountId,
    idOrSlug: options.workflowId,
    ...periodRange(options.period),
  });
  const steps = funnel.steps.map((step) => ({
    ...step,
    cancelled: Math.max(0, step.reached - step.completed - step.waiting - step.failed - step.skipped),
  }));
  const { links } = funnel;
  const label = options.period.label.toLowerCase();
  return {
    period: options.period,
    periodText: label,
    periods: FUNNEL_PERIODS.map((period) => ({ ...period, selected: period === options.period })),
    empty: steps.every((step) => step.reached === 0) && links.minted === 0,
    outcomes: OUTCOMES,
    stepsChart: barChartSvg({ title: `Runs reaching each step, ${label}`, rows: steps.map(stepRow) }),
    steps,
    links:
      options.mintsLinks || links.minted > 0
        ? {
            ...links,
            chart: barChartSvg({ title: `One-time links: minted, opened, booked, ${label}`, rows: linkRows(links) }),
            openedShare: share(links.opened, links.minted),
            bookedShare: share(links.booked, links.minted),
          }
        : null,
  };
}
