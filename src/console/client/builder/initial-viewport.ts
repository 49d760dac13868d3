import type { Point } from './elk-layout';

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface Box extends Point {
  width: number;
  height: number;
}

/** Below this zoom a card's text is too small to read: the view pans instead. */
export const READABLE_ZOOM = 0.8;
const PADDING = 24;

/**
 * Where the canvas opens: the whole workflow when it fits at a readable size; otherwise the width
 * fitted (not below READABLE_ZOOM) with the trigger at the top, and the rest reached by panning down.
 * On a screen narrower than the workflow, the trigger is centred and the sides are panned to.
 */
export function initialViewport(
  boxes: readonly Box[],
  screen: { width: number; height: number },
  first?: Box,
  /** A card that must be in view (the one just added): the view pans to it when it would be off screen. */
  keep?: Box,
): Viewport {
  if (boxes.length === 0) return { x: 0, y: 0, zoom: 1 };
  const left = Math.min(...boxes.map((box) => box.x));
  const top = Math.min(...boxes.map((box) => box.y));
  const width = Math.max(...boxes.map((box) => box.x + box.width)) - left;
  const height = Math.max(...boxes.map((box) => box.y + box.height)) - top;
  const room = { width: Math.max(1, screen.width - 2 * PADDING), height: Math.max(1, screen.height - 2 * PADDING) };
  const fitAll = Math.min(1, room.width / width, room.height / height);
  if (fitAll >= READABLE_ZOOM)
    return {
      zoom: fitAll,
      x: (screen.width - width * fitAll) / 2 - left * fitAll,
      y: (screen.height - height * fitAll) / 2 - top * fitAll,
    };
  const zoom = Math.max(READABLE_ZOOM, Math.min(1, room.width / width));
  const anchor = width * zoom <= room.width || !first ? { x: left, width } : first;
  const view = { zoom, x: screen.width / 2 - (anchor.x + anchor.width / 2) * zoom, y: PADDING - top * zoom };
  return keep ? panTo(view, keep, screen) : view;
}

/** The view moved just enough (and centred on the card) when `box` is not wholly on screen. */
function panTo(view: Viewport, box: Box, screen: { width: number; height: number }): Viewport {
  const at = { x: box.x * view.zoom + view.x, y: box.y * view.zoom + view.y };
  const size = { width: box.width * view.zoom, height: box.height * view.zoom };
  const outside = (start: number, length: number, room: number) => start < 0 || start + length > room;
  return {
    zoom: view.zoom,
    x: outside(at.x, size.width, screen.width) ? screen.width / 2 - (box.x + box.width / 2) * view.zoom : view.x,
    y: outside(at.y, size.height, screen.height) ? screen.height / 2 - (box.y + box.height / 2) * view.zoom : view.y,
  };
}
