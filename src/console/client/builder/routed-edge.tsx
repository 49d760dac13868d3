import { BaseEdge, EdgeLabelRenderer, type Edge, type EdgeProps } from '@xyflow/react';
import type { Point } from './elk-layout';

export interface RoutedData extends Record<string, unknown> {
  /** The layout's route, bends included; a straight line until the layout is in. */
  points?: Point[];
  labelAt?: Point;
  label: string;
  /** The "Add step …" button's name; none on the dashed path to an Add step card. */
  addName?: string;
  onAdd?: () => void;
}
export type RoutedEdgeType = Edge<RoutedData, 'routed'>;

const RADIUS = 8;

/** An orthogonal polyline with rounded corners. */
function roundedPath(points: readonly Point[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let path = `M ${first.x} ${first.y}`;
  rest.forEach((point, index) => {
    const before = index === 0 ? first : rest[index - 1]!;
    const after = rest[index + 1];
    if (!after) {
      path += ` L ${point.x} ${point.y}`;
      return;
    }
    const r = Math.min(
      RADIUS,
      Math.hypot(point.x - before.x, point.y - before.y) / 2,
      Math.hypot(after.x - point.x, after.y - point.y) / 2,
    );
    const inX = point.x - Math.sign(point.x - before.x) * r;
    const inY = point.y - Math.sign(point.y - before.y) * r;
    const outX = point.x + Math.sign(after.x - point.x) * r;
    const outY = point.y + Math.sign(after.y - point.y) * r;
    path += ` L ${inX} ${inY} Q ${point.x} ${point.y} ${outX} ${outY}`;
  });
  return path;
}

/** A path routed by the layout (never behind a card), its label and its "Add step" button. */
export function RoutedEdge({ id, data, markerEnd, sourceX, sourceY, targetX, targetY }: EdgeProps<RoutedEdgeType>) {
  const points = data?.points ?? [
    { x: sourceX, y: sourceY },
    { x: targetX, y: targetY },
  ];
  const at = data?.labelAt ?? { x: (sourceX + targetX) / 2, y: (sourceY + targetY) / 2 };
  const showLabel = Boolean(data?.label) || Boolean(data?.addName);
  return (
    <>
      <BaseEdge
        id={id}
        path={roundedPath(points)}
        markerEnd={markerEnd}
        className={data?.addName ? '' : 'is-open-end'}
      />
      {showLabel && (
        <EdgeLabelRenderer>
          <div
            className="edge-label nodrag nopan"
            style={{ transform: `translate(-50%, -50%) translate(${at.x}px, ${at.y}px)` }}
          >
            {data?.label && <span className="edge-text">{data.label}</span>}
            {data?.addName && (
              <button
                type="button"
                className="edge-add"
                aria-label={data.addName}
                title={data.addName}
                onClick={data.onAdd}
              >
                +
              </button>
            )}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}
