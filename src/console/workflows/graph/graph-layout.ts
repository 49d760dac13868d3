import type { GraphEdge } from './graph-model';

export interface PlacedNode {
  id: string;
  layer: number;
  x: number;
  y: number;
}

export interface GraphLayout {
  nodes: PlacedNode[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 54;
const GAP_X = 44;
const GAP_Y = 84;
const MARGIN = 24;

/**
 * Layers by longest path from the entry (workflow graphs are acyclic, so every arrow points down),
 * then one barycenter pass orders each layer by where its parents stand, to uncross the arrows.
 */
export function layoutGraph(stepIds: readonly string[], edges: readonly GraphEdge[]): GraphLayout {
  const layer = new Map(stepIds.map((id) => [id, 0]));
  const incoming = new Map(stepIds.map((id) => [id, 0]));
  for (const edge of edges) incoming.set(edge.to, (incoming.get(edge.to) ?? 0) + 1);
  const ready = stepIds.filter((id) => incoming.get(id) === 0);
  for (let id = ready.shift(); id !== undefined; id = ready.shift()) {
    for (const edge of edges.filter((candidate) => candidate.from === id)) {
      layer.set(edge.to, Math.max(layer.get(edge.to) ?? 0, (layer.get(id) ?? 0) + 1));
      const left = (incoming.get(edge.to) ?? 1) - 1;
      incoming.set(edge.to, left);
      if (left === 0) ready.push(edge.to);
    }
  }

  const layers: string[][] = [];
  for (const id of stepIds) (layers[layer.get(id) ?? 0] ??= []).push(id);
  const column = new Map<string, number>();
  layers.forEach((ids, depth) => {
    if (depth > 0) {
      const centre = (id: string): number => {
        const parents = edges.filter((edge) => edge.to === id).map((edge) => column.get(edge.from) ?? 0);
        return parents.length ? parents.reduce((a, b) => a + b, 0) / parents.length : 0;
      };
      ids.sort((a, b) => centre(a) - centre(b) || stepIds.indexOf(a) - stepIds.indexOf(b));
    }
    ids.forEach((id, index) => column.set(id, index - (ids.length - 1) / 2));
  });

  const widest = Math.max(1, ...layers.map((ids) => ids?.length ?? 0));
  const width = widest * NODE_WIDTH + (widest - 1) * GAP_X + 2 * MARGIN;
  const height = layers.length * NODE_HEIGHT + Math.max(0, layers.length - 1) * GAP_Y + 2 * MARGIN;
  const nodes = stepIds.map((id) => ({
    id,
    layer: layer.get(id) ?? 0,
    x: width / 2 + (column.get(id) ?? 0) * (NODE_WIDTH + GAP_X) - NODE_WIDTH / 2,
    y: MARGIN + (layer.get(id) ?? 0) * (NODE_HEIGHT + GAP_Y),
  }));
  return { nodes, width, height };
}
