import YAML from 'yaml';

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `first` keys in that order, then the others as they come, then `last` keys. */
function orderKeys(value: Obj, first: readonly string[], last: readonly string[] = []): Obj {
  const keys = Object.keys(value);
  const middle = keys.filter((key) => !first.includes(key) && !last.includes(key));
  const order = [...first.filter((key) => key in value), ...middle, ...last.filter((key) => key in value)];
  return Object.fromEntries(order.map((key) => [key, value[key]]));
}

/**
 * A stored definition as the editor shows it, in YAML. Stored definitions are jsonb, which keeps no
 * key order, so the keys are put back in the order a person writes them: id, name, …, steps; and in
 * each step id, type, name, its config, then next and retry.
 */
export function definitionToYaml(definition: unknown): string {
  if (!isObject(definition)) return YAML.stringify(definition, { lineWidth: 0 });
  const top = orderKeys(definition, [
    'id',
    'name',
    'description',
    'status',
    'trigger',
    'allowReentry',
    'sendingWindow',
    'steps',
  ]);
  if (isObject(top.trigger)) top.trigger = orderKeys(top.trigger, ['type']);
  if (Array.isArray(top.steps)) {
    top.steps = top.steps.map((step) =>
      isObject(step) ? orderKeys(step, ['id', 'type', 'name'], ['next', 'retry']) : step,
    );
  }
  return YAML.stringify(top, { lineWidth: 0 });
}
