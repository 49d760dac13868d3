import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk.bundled.js';

/** elkjs in the page's own thread: the bundled build needs no worker (the CSP allows none). */
const elk = new ELK();

export const CARD_WIDTH = 300;
export const CARD_HEIGHT = 76;
export const ADD_SIZE = 44;

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}

export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
  text: string;
  /** Room the label (and its "Add step" button) needs; the layout keeps it clear of the cards. */
  label: { width: number; height: number };
}

export interface Point {
  x: number;
  y: number;
}

export interface Layout {
  positions: Map<string, Point>;
  /** Each edge's route, from its source's border to its target's, bends included. */
  routes: Map<string, Point[]>;
  /** The centre of each edge's label box. */
  labels: Map<string, Point>;
}

const OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  // Orthogonal routes go around the cards: a path never runs behind one (the old graph's fault).
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.layered.spacing.edgeNodeBetweenLayers': '20',
  'elk.spacing.nodeNode': '48',
  'elk.spacing.edgeNode': '28',
  'elk.spacing.edgeEdge': '18',
  'elk.spacing.edgeLabel': '4',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  // The order of the steps in the definition is the order a person reads: keep it left to right.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
};

/** A layered, top-to-bottom layout of the workflow, with routed edges and placed labels. */
export async function layoutGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Promise<Layout> {
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: OPTIONS,
    children: nodes.map((node) => ({ id: node.id, width: node.width, height: node.height })),
    edges: edges.map((edge): ElkExtendedEdge => ({
      id: edge.id,
      sources: [edge.source],
      targets: [edge.target],
      // A label without text is left unplaced by elk: the button's "+" stands in.
      labels: [{ id: `${edge.id}-label`, text: edge.text || '+', width: edge.label.width, height: edge.label.height }],
    })),
  };
  const result = await elk.layout(graph);
  const positions = new Map<string, Point>();
  for (const child of result.children ?? []) positions.set(child.id, { x: child.x ?? 0, y: child.y ?? 0 });
  const routes = new Map<string, Point[]>();
  const labels = new Map<string, Point>();
  for (const edge of (result.edges ?? []) as ElkExtendedEdge[]) {
    const section = edge.sections?.[0];
    if (section) routes.set(edge.id, [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
    const label = edge.labels?.[0];
    const route = routes.get(edge.id);
    if (label && route) {
      const centre = { x: (label.x ?? 0) + (label.width ?? 0) / 2, y: (label.y ?? 0) + (label.height ?? 0) / 2 };
      // elk puts the label beside its path; the pill (and its "+") reads best on the path itself.
      labels.set(edge.id, nearestOnRoute(route, centre));
    }
  }
  return { positions, routes, labels };
}

/** The point of an orthogonal route closest to `point`. */
function nearestOnRoute(route: readonly Point[], point: Point): Point {
  let best = route[0] ?? point;
  let bestDistance = Infinity;
  for (let index = 1; index < route.length; index += 1) {
    const [a, b] = [route[index - 1]!, route[index]!];
    const length = (b.x - a.x) ** 2 + (b.y - a.y) ** 2;
    const t =
      length === 0
        ? 0
        : Math.max(0, Math.min(1, ((point.x - a.x) * (b.x - a.x) + (point.y - a.y) * (b.y - a.y)) / length));
    const candidate = { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
    const distance = (candidate.x - point.x) ** 2 + (candidate.y - point.y) ** 2;
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}
