import type { WorkflowDefinition } from '../../../definition/definition-schema';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH, type PlacedNode } from './graph-layout';
import { graphEdges, type GraphEdge } from './graph-model';

const escapeXml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const num = (value: number): string => String(Math.round(value * 10) / 10);

function nodeSvg(node: PlacedNode, step: { id: string; type: string; name?: string }, count: number): string {
  const title = `${step.id} (${step.type})${step.name ? `: ${step.name}` : ''}${count ? ` · ${count} run${count === 1 ? '' : 's'} here` : ''}`;
  const badge = count
    ? `<rect class="badge" x="${num(node.x + NODE_WIDTH - 30)}" y="${num(node.y - 9)}" width="38" height="18" rx="9"/>` +
      `<text class="count" x="${num(node.x + NODE_WIDTH - 11)}" y="${num(node.y + 4)}" text-anchor="middle">${count}</text>`
    : '';
  return (
    `<g class="node${count ? ' busy' : ''}" data-step="${escapeXml(step.id)}" data-runs="${count}"><title>${escapeXml(title)}</title>` +
    `<rect x="${num(node.x)}" y="${num(node.y)}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="8"/>` +
    `<text class="step-id" x="${num(node.x + 12)}" y="${num(node.y + 22)}">${escapeXml(clip(step.id, 22))}</text>` +
    `<text class="step-type" x="${num(node.x + 12)}" y="${num(node.y + 40)}">${escapeXml(clip(step.type, 26))}</text>${badge}</g>`
  );
}

function edgeSvg(edge: GraphEdge, from: PlacedNode, to: PlacedNode): string {
  const [x0, y0] = [from.x + NODE_WIDTH / 2, from.y + NODE_HEIGHT];
  const [x3, y3] = [to.x + NODE_WIDTH / 2, to.y - 2];
  const bend = (y3 - y0) / 2;
  const [x1, y1, x2, y2] = [x0, y0 + bend, x3, y3 - bend];
  // The curve's midpoint (t = 0.5) carries the label.
  const mx = (x0 + 3 * x1 + 3 * x2 + x3) / 8;
  const my = (y0 + 3 * y1 + 3 * y2 + y3) / 8;
  const labelWidth = edge.label.length * 6.2 + 10;
  return (
    `<g class="edge" data-from="${escapeXml(edge.from)}" data-to="${escapeXml(edge.to)}">` +
    `<path d="M${num(x0)},${num(y0)} C${num(x1)},${num(y1)} ${num(x2)},${num(y2)} ${num(x3)},${num(y3)}" marker-end="url(#arrow)"/>` +
    `<rect class="edge-label-bg" x="${num(mx - labelWidth / 2)}" y="${num(my - 8)}" width="${num(labelWidth)}" height="16" rx="4"/>` +
    `<text class="edge-label" x="${num(mx)}" y="${num(my + 4)}" text-anchor="middle">${escapeXml(edge.label)}</text></g>`
  );
}

/**
 * The workflow as an SVG drawing: steps as boxes (id, type, and a badge with the number of live runs
 * standing there), exits as arrows labelled `then`/`else`/`onEvent`/`onTimeout`/`next`. Server-side,
 * so it needs no script; styled by the console stylesheet.
 */
export function workflowGraphSvg(
  definition: WorkflowDefinition,
  runsAtStep: ReadonlyMap<string, number> = new Map(),
): string {
  const edges = graphEdges(definition);
  const layout = layoutGraph(
    definition.steps.map((step) => step.id),
    edges,
  );
  const placed = new Map(layout.nodes.map((node) => [node.id, node]));
  const edgeParts = edges.flatMap((edge) => {
    const [from, to] = [placed.get(edge.from), placed.get(edge.to)];
    return from && to ? [edgeSvg(edge, from, to)] : [];
  });
  const nodeParts = definition.steps.map((step) => nodeSvg(placed.get(step.id)!, step, runsAtStep.get(step.id) ?? 0));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="workflow-graph" role="img" aria-label="Steps of ${escapeXml(definition.name)}" ` +
    `width="${num(layout.width)}" height="${num(layout.height)}" viewBox="0 0 ${num(layout.width)} ${num(layout.height)}">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>` +
    `${edgeParts.join('')}${nodeParts.join('')}</svg>`
  );
}
