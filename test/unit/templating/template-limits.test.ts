import { renderTemplate } from '../../../src/templating/template';
import {
  MAX_HTML_OUTPUT,
  MAX_NESTING,
  MAX_RENDER_ITERATIONS,
  MAX_TEXT_OUTPUT,
  TemplateLimitError,
} from '../../../src/templating/template-limits';
import { NonRetryableError } from '../../../src/lib/step-errors';

const list = (length: number) => Array.from({ length }, (_, index) => index);
const context = { steps: { x: { list: list(100) } }, big: list(5000), small: list(10) };

/** The TemplateLimitError `render` throws; fails the test when it renders or throws anything else. */
function limitErrorOf(render: () => unknown): TemplateLimitError {
  try {
    render();
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateLimitError);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as TemplateLimitError).code).toBe('template_too_large');
    return error as TemplateLimitError;
  }
  throw new Error('expected the render to exceed a limit');
}

describe('bounding a render', () => {
  it('stops three nested loops over a 100-element @root list at the iteration limit', () => {
    const each = '{{#each @root.steps.x.list}}';
    const source = `${each}${each}${each}.{{/each}}{{/each}}{{/each}}`;
    const error = limitErrorOf(() => renderTemplate(source, context));
    expect(error.limit).toBe('iterations');
    expect(error.message).toContain(String(MAX_RENDER_ITERATIONS));
  });

  it('counts the iterations of an implicit block over a list, and of partials', () => {
    expect(
      limitErrorOf(() => renderTemplate('{{#@root.big}}{{#@root.big}}.{{/@root.big}}{{/@root.big}}', context)).limit,
    ).toBe('iterations');
    const partials = { row: '{{#each @root.steps.x.list}}.{{/each}}' };
    expect(limitErrorOf(() => renderTemplate('{{#each big}}{{> row}}{{/each}}', context, { partials })).limit).toBe(
      'iterations',
    );
  });

  it('renders loops within the limits as before', () => {
    expect(renderTemplate('{{#each small}}{{#each @root.small}}.{{/each}}|{{/each}}', context)).toBe(
      '..........|'.repeat(10),
    );
    expect(renderTemplate('{{#each small}}{{else}}none{{/each}}{{#each nothing}}{{else}}none{{/each}}', context)).toBe(
      'none',
    );
  });

  it('stops a text render past the text output limit, an HTML render past the HTML limit', () => {
    const loop = `{{#each big}}${'x'.repeat(200)}{{/each}}`; // 1,000,000 characters in 5,000 iterations
    expect(1_000_000).toBeGreaterThan(MAX_TEXT_OUTPUT);
    expect(1_000_000).toBeLessThan(MAX_HTML_OUTPUT);
    expect(limitErrorOf(() => renderTemplate(loop, context)).limit).toBe('output');
    expect(renderTemplate(loop, context, { html: true })).toHaveLength(1_000_000);
    expect(limitErrorOf(() => renderTemplate(`${loop}${loop}`, context, { html: true })).limit).toBe('output');
  });

  /** Inline partials p1…p`levels`, each calling the one below `width` times, over p0 = `leaf`. */
  const fanOut = (leaf: string, levels: number, width: number) =>
    `{{#*inline "p0"}}${leaf}{{/inline}}` +
    Array.from({ length: levels }, (_, i) => `{{#*inline "p${i + 1}"}}${`{{> p${i}}}`.repeat(width)}{{/inline}}`).join(
      '',
    ) +
    `{{> p${levels}}}`;

  it('stops partials that multiply their output without any loop', () => {
    expect(limitErrorOf(() => renderTemplate(fanOut('x'.repeat(1000), 4, 10), context)).limit).toBe('output');
  });

  it('counts partial calls against the iteration limit, even when they render nothing', () => {
    expect(limitErrorOf(() => renderTemplate(fanOut('', 3, 100), context)).limit).toBe('iterations');
  });

  it(`stops block helpers nested deeper than ${MAX_NESTING} levels`, () => {
    const deep = (levels: number) => `${'{{#with @root}}'.repeat(levels)}x${'{{/with}}'.repeat(levels)}`;
    expect(renderTemplate(deep(MAX_NESTING), context)).toBe('x');
    expect(limitErrorOf(() => renderTemplate(deep(MAX_NESTING + 1), context)).limit).toBe('nesting');
  });

  it('stops a partial that calls itself at the nesting limit', () => {
    const partials = { self: '{{> self}}' };
    expect(limitErrorOf(() => renderTemplate('{{> self}}', context, { partials })).limit).toBe('nesting');
  });

  it('gives each render a budget of its own', () => {
    const source = '{{#each @root.steps.x.list}}{{#each @root.steps.x.list}}.{{/each}}{{/each}}'; // 10,000 + 100 iterations
    expect(() => renderTemplate(source, context)).toThrow(TemplateLimitError);
    const justUnder = '{{#each @root.steps.x.list}}{{#each @root.small}}.{{/each}}{{/each}}'; // 1,100 iterations
    for (let i = 0; i < 20; i++) expect(renderTemplate(justUnder, context)).toHaveLength(1000);
  });
});
