import YAML from 'yaml';
import { toDraft, type Draft } from './draft';

type Obj = Record<string, unknown>;

function ordered(value: Obj, first: readonly string[], last: readonly string[] = []): Obj {
  const keys = Object.keys(value);
  const middle = keys.filter((key) => !first.includes(key) && !last.includes(key));
  return Object.fromEntries(
    [...first.filter((key) => key in value), ...middle, ...last.filter((key) => key in value)].map((key) => [
      key,
      value[key],
    ]),
  );
}

/** The definition as a person writes it: id, name, …, steps; in each step id, type, name, its config, next. */
export function draftToYaml(draft: Draft): string {
  const top = ordered(draft, [
    'id',
    'name',
    'description',
    'status',
    'trigger',
    'allowReentry',
    'sendingWindow',
    'steps',
  ]);
  top.trigger = ordered(draft.trigger, ['type']);
  top.steps = draft.steps.map((step) => ordered(step, ['id', 'type', 'name'], ['next', 'retry']));
  return YAML.stringify(top, { lineWidth: 0 });
}

/** The YAML read back, or the parser's first complaint. */
export function yamlToDraft(source: string): { draft: Draft } | { error: string } {
  const document = YAML.parseDocument(source, { prettyErrors: true });
  const first = document.errors[0];
  if (first) return { error: first.message.split('\n')[0] ?? 'not valid YAML' };
  const value: unknown = document.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { error: 'A definition is a mapping: id, name, trigger, steps.' };
  return { draft: toDraft(value) };
}
