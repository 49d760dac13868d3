import Handlebars from 'handlebars';

type PartialName = hbs.AST.PartialStatement['name'] | hbs.AST.StringLiteral;

function staticName(name: PartialName): string | null {
  if (name.type === 'PathExpression') return name.data ? null : name.original; // `@partial-block` is not a file
  if (name.type === 'StringLiteral') return name.value;
  return null; // a dynamic partial `{{> (lookup …)}}`: known only when rendering
}

/** Collects the partials a template calls, minus the inline ones it defines itself. */
class PartialCollector extends Handlebars.Visitor {
  readonly used = new Set<string>();
  readonly inline = new Set<string>();

  override PartialStatement(partial: hbs.AST.PartialStatement): void {
    const name = staticName(partial.name);
    if (name !== null) this.used.add(name);
    super.PartialStatement(partial);
  }

  override PartialBlockStatement(partial: hbs.AST.PartialBlockStatement): void {
    const name = staticName(partial.name);
    if (name !== null) this.used.add(name);
    super.PartialBlockStatement(partial);
  }

  override DecoratorBlock(decorator: hbs.AST.DecoratorBlock): void {
    const [first] = decorator.params;
    if (decorator.path.original === 'inline' && first?.type === 'StringLiteral')
      this.inline.add((first as hbs.AST.StringLiteral).value);
    super.DecoratorBlock(decorator);
  }
}

/** Names of the partials `source` calls (`{{> footer}}`, `{{#> card}}…{{/card}}`); throws if it does not parse. */
export function partialsUsedBy(source: string): string[] {
  const collector = new PartialCollector();
  collector.accept(Handlebars.parse(source));
  return [...collector.used].filter((name) => !collector.inline.has(name));
}

/**
 * The first partial `sources` call, directly or through other partials, that `available` lacks;
 * null when every one is there. Every source (and every available partial) must parse.
 */
export function missingPartial(sources: readonly string[], available: Readonly<Record<string, string>>): string | null {
  const seen = new Set<string>();
  const pending = sources.flatMap((source) => partialsUsedBy(source));
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    const partial = Object.prototype.hasOwnProperty.call(available, name) ? available[name] : undefined;
    if (partial === undefined) return name;
    pending.push(...partialsUsedBy(partial));
  }
  return null;
}
