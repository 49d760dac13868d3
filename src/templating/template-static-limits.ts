import { MAX_NESTING } from './template-limits';

/**
 * What the definition checks can see of a template's cost before it ever runs. A loop inside a loop
 * over a child of the current item (`{{#each orders}}{{#each items}}`) walks the data once; a loop
 * over a list from outside the current item (`@root.…`, `../…`) walks that whole list again for
 * every item, so k such loops nested cost n^k. The render-time bounds (template-limits.ts) stop
 * any template; these checks turn away, when a workflow is saved, the ones that can only fail.
 */

/** Loops (`#each`, a block over a value) nested in one another. */
export const MAX_STATIC_LOOP_NESTING = 3;
/** Loops over `@root…` or `../…` nested inside another loop (each one multiplies the work). */
export const MAX_REPEATED_LOOPS = 1;

/** Block helpers that never loop; a block over anything else (`{{#list}}…{{/list}}`) loops over a list. */
const NON_LOOP_BLOCKS = new Set(['if', 'unless', 'with', 'lookup', 'log']);

type Node = hbs.AST.Node;

interface Level {
  blocks: number;
  loops: number;
  repeated: number;
}

function isLoop(block: hbs.AST.BlockStatement): boolean {
  if (block.path.type !== 'PathExpression') return false;
  const name = (block.path as hbs.AST.PathExpression).original;
  return name === 'each' || (block.params.length === 0 && !NON_LOOP_BLOCKS.has(name));
}

/** Whether `node` names data outside the current item: `@root…`, `../…`, or a sub-expression using one. */
function reachesOutside(node: Node | undefined): boolean {
  if (!node) return false;
  if (node.type === 'PathExpression') {
    const path = node as hbs.AST.PathExpression;
    return path.depth > 0 || (path.data && /^@root\b/.test(path.original));
  }
  if (node.type === 'SubExpression') return (node as hbs.AST.SubExpression).params.some(reachesOutside);
  return false;
}

function blockProblem(block: hbs.AST.BlockStatement, level: Level): string | null {
  const loop = isLoop(block);
  const iterated =
    block.path.type === 'PathExpression' && (block.path as hbs.AST.PathExpression).original === 'each'
      ? block.params[0]
      : block.path;
  const inner: Level = {
    blocks: level.blocks + 1,
    loops: level.loops + (loop ? 1 : 0),
    repeated: level.repeated + (loop && level.loops > 0 && reachesOutside(iterated) ? 1 : 0),
  };
  if (inner.blocks > MAX_NESTING) return `blocks nested more than ${MAX_NESTING} levels deep`;
  if (inner.loops > MAX_STATIC_LOOP_NESTING) return `loops nested more than ${MAX_STATIC_LOOP_NESTING} levels deep`;
  if (inner.repeated > MAX_REPEATED_LOOPS) {
    return `a loop over @root or ../ inside another loop repeats that whole list for every item; at most ${MAX_REPEATED_LOOPS} such loop may be nested`;
  }
  const problem = programProblem(block.program, inner);
  if (problem || !block.inverse) return problem;
  // `{{else if …}}` chains its block into the inverse: a sibling, not a level deeper. An else runs once.
  const chained = (block.inverse as hbs.AST.Program & { chained?: boolean }).chained === true;
  return programProblem(block.inverse, chained ? level : { ...inner, loops: level.loops, repeated: level.repeated });
}

function programProblem(program: hbs.AST.Program | undefined, level: Level): string | null {
  for (const statement of program?.body ?? []) {
    let problem: string | null = null;
    if (statement.type === 'BlockStatement') problem = blockProblem(statement as hbs.AST.BlockStatement, level);
    else if (statement.type === 'PartialBlockStatement' || statement.type === 'DecoratorBlock') {
      problem = programProblem((statement as hbs.AST.PartialBlockStatement).program, {
        ...level,
        blocks: level.blocks + 1,
      });
    }
    if (problem) return problem;
  }
  return null;
}

/** Why the parsed template `program` is too costly to accept, or null. */
export function staticLimitProblem(program: hbs.AST.Program): string | null {
  return programProblem(program, { blocks: 0, loops: 0, repeated: 0 });
}
