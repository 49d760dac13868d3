import type { z } from 'zod';
import { ValidationError, type IssueDetail } from '../lib/errors';
import { toIssueDetails } from '../lib/zod-issues';
import {
  definitionShapeSchema,
  STEP_BASE_KEYS,
  type StepDefinition,
  type WorkflowDefinition,
} from './definition-schema';
import { calendarIssues } from './calendar-references';
import { checkGraph, type GraphStep } from './graph-checks';
import type { DefinitionReferences } from './references';
import { exitLabel } from './step-labels';
import type { StepTypeDefinition } from './step-type';
import { stepTypeOf, type StepTypeLookup } from './step-types';
import { checkTemplates } from './template-checks';

export { defaultNext, findStep, findStepIndex } from './step-navigation';

type RawObject = Record<string, unknown>;
const isObject = (value: unknown): value is RawObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const stringOrUndefined = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The step's own config: everything beside the base fields every step has. */
function configOf(step: RawObject): RawObject {
  return Object.fromEntries(Object.entries(step).filter(([key]) => !STEP_BASE_KEYS.includes(key)));
}

/**
 * Step types validate their own templates too; where we already report a template that does not
 * compile, the step type's issue at that string (or at the field holding it) says the same again.
 */
function withoutTemplateEchoes(
  configIssues: IssueDetail[],
  templateIssues: IssueDetail[],
  index: number,
): IssueDetail[] {
  const stepPath = `steps[${index}]`;
  const covers = (path: string, inner: string): boolean =>
    inner === path || inner.startsWith(`${path}.`) || inner.startsWith(`${path}[`);
  return configIssues.filter(
    (issue) => issue.path === stepPath || !templateIssues.some((template) => covers(issue.path, template.path)),
  );
}

interface CheckedStep {
  graph: GraphStep;
  /** The parsed config; undefined when the type is unknown or the config is invalid. */
  config: Record<string, unknown> | undefined;
  /** Whether all of this step's edges are known (id, next and config readable). */
  complete: boolean;
  issues: IssueDetail[];
}

export interface ParseOptions {
  /**
   * What the definition names outside itself (TEMPLATES_DIR; the account's calendars when the caller
   * can see them), checked when given: saving, syncing workflow files, `workflows:check`. Default: not
   * checked (see references.ts).
   */
  references?: DefinitionReferences;
  /**
   * A version read back from storage, checked in full when it was saved: its templates' cost is not
   * checked again; the render-time bounds still apply. Default false.
   */
  stored?: boolean;
  /** Finds a step type by its name. Default: the step types of step-types.ts. */
  stepTypes?: StepTypeLookup;
}

/** The step type's config schema, with its reference checks when the caller gave references. */
function configSchemaOf(
  stepType: StepTypeDefinition,
  references: DefinitionReferences | undefined,
): StepTypeDefinition['configSchema'] {
  const { checkReferences } = stepType;
  if (!references || !checkReferences) return stepType.configSchema;
  return stepType.configSchema.superRefine((config, ctx) => checkReferences(config, ctx, references));
}

/** Type, config and templates of one step, given as written. Shape problems of the base fields are the shape check's. */
function checkStep(raw: unknown, index: number, lookup: StepTypeLookup, options: ParseOptions): CheckedStep {
  const step = isObject(raw) ? raw : {};
  const graph: GraphStep = {
    id: stringOrUndefined(step.id),
    name: stringOrUndefined(step.name),
    next: stringOrUndefined(step.next),
    targets: null,
    fallsThrough: true,
  };
  if (!isObject(raw) || typeof step.type !== 'string') return { graph, config: undefined, complete: false, issues: [] };

  const rawConfig = configOf(step);
  const issues = checkTemplates(rawConfig, ['steps', index], { limits: options.stored !== true });
  const stepType = lookup(step.type);
  if (!stepType) {
    const known = lookup.types?.length ? ` (known types: ${[...lookup.types].sort().join(', ')})` : '';
    issues.unshift({ path: `steps[${index}].type`, message: `unknown action type '${step.type}'${known}` });
    return { graph, config: undefined, complete: false, issues };
  }
  const parsed = configSchemaOf(stepType, options.references).safeParse(rawConfig);
  if (!parsed.success) {
    const configIssues = withoutTemplateEchoes(toIssueDetails(parsed.error, ['steps', index]), issues, index);
    return { graph, config: undefined, complete: false, issues: [...configIssues, ...issues] };
  }

  const config = parsed.data as z.infer<typeof stepType.configSchema>;
  graph.targets = (stepType.targets?.(config) ?? []).map((target) => ({
    ...target,
    label: exitLabel(stepType.type, target.path, config),
  }));
  graph.fallsThrough = stepType.fallsThrough?.(config) ?? true;
  const complete = graph.id !== undefined && (step.next === undefined || graph.next !== undefined);
  return { graph, config: config as Record<string, unknown>, complete, issues };
}

/**
 * Validates a workflow definition as written (a file or an API body) and returns it with each
 * step's config parsed by its step type. Throws one ValidationError carrying every issue found, each
 * with a `steps[2].next`-style path: the shape, each step's type and config, templates that do not
 * compile, and the graph (unique ids, existing targets, no cycles, no unreachable steps).
 *
 * References outside the definition (message templates, the account's calendars) are checked only
 * when `options.references` is given.
 */
export function parseDefinition(input: unknown, options: ParseOptions = {}): WorkflowDefinition {
  const lookup = options.stepTypes ?? stepTypeOf;
  const shape = definitionShapeSchema.safeParse(input);
  const issues: IssueDetail[] = shape.success ? [] : toIssueDetails(shape.error);

  const rawSteps = isObject(input) && Array.isArray(input.steps) ? (input.steps as unknown[]) : [];
  const checked = rawSteps.map((step, index) => checkStep(step, index, lookup, options));
  issues.push(...checked.flatMap((step) => step.issues));
  const calendars = options.references?.calendars;
  if (calendars) issues.push(...calendarIssues(input, calendars, lookup));
  if (checked.length > 0) {
    const complete = checked.every((step) => step.complete);
    issues.push(
      ...checkGraph(
        checked.map((step) => step.graph),
        complete,
      ),
    );
  }

  if (!shape.success || issues.length > 0) throw new ValidationError(dedupe(issues));
  const steps: StepDefinition[] = shape.data.steps.map((step, index) => ({
    id: step.id,
    type: step.type,
    ...(step.name === undefined ? {} : { name: step.name }),
    ...(step.next === undefined ? {} : { next: step.next }),
    ...(step.retry === undefined ? {} : { retry: step.retry }),
    config: checked[index]?.config ?? {},
  }));
  return { ...shape.data, steps };
}

function dedupe(issues: IssueDetail[]): IssueDetail[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
