import type { Condition, ConditionMatch } from '../definition/steps/condition-schema';
import { toDateTime } from '../lib/time';

/** The value at a dot path, through own properties only (never the prototype); undefined when absent. */
export function readPath(context: unknown, path: string): unknown {
  let current: unknown = context;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const isScalar = (value: unknown): value is string | number | boolean | Date =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date;

const normalized = (value: string | number | boolean | Date): string =>
  (value instanceof Date ? value.toISOString() : String(value)).toLowerCase();

function scalarEquals(field: unknown, value: unknown): boolean {
  return isScalar(field) && isScalar(value) && normalized(field) === normalized(value);
}

function equals(field: unknown, value: unknown): boolean {
  if (Array.isArray(field)) return field.some((item) => scalarEquals(item, value));
  return scalarEquals(field, value);
}

function contains(field: unknown, value: unknown): boolean {
  if (Array.isArray(field)) return field.some((item) => scalarEquals(item, value));
  if (typeof field === 'string' && isScalar(value)) return field.toLowerCase().includes(normalized(value));
  return false;
}

function exists(field: unknown): boolean {
  if (field === null || field === undefined || field === '') return false;
  return !(Array.isArray(field) && field.length === 0);
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

function asTime(value: unknown): number | null {
  if (!(value instanceof Date) && typeof value !== 'string') return null;
  const date = toDateTime(value);
  return date.isValid ? date.toMillis() : null;
}

/** -1/0/1 comparing numbers, else ISO date-times; null when the two are neither. */
function compare(field: unknown, value: unknown): number | null {
  const [a, b] = [asNumber(field), asNumber(value)];
  if (a !== null && b !== null) return Math.sign(a - b);
  const [x, y] = [asTime(field), asTime(value)];
  if (x !== null && y !== null) return Math.sign(x - y);
  return null;
}

export function evaluateCondition(condition: Condition, context: unknown): boolean {
  const field = readPath(context, condition.field);
  const { value } = condition;
  switch (condition.op) {
    case 'equals':
      return equals(field, value);
    case 'not_equals':
      return !equals(field, value);
    case 'contains':
      return contains(field, value);
    case 'not_contains':
      return !contains(field, value);
    case 'exists':
      return exists(field);
    case 'not_exists':
      return !exists(field);
    case 'gt':
      return compare(field, value) === 1;
    case 'lt':
      return compare(field, value) === -1;
  }
}

/** `all`: every condition holds (true for none); `any`: at least one does. */
export function evaluateConditions(conditions: readonly Condition[], match: ConditionMatch, context: unknown): boolean {
  return match === 'all'
    ? conditions.every((condition) => evaluateCondition(condition, context))
    : conditions.some((condition) => evaluateCondition(condition, context));
}
