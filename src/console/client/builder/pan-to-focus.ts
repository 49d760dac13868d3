import { useReactFlow } from '@xyflow/react';
import { useCallback, type FocusEvent, type RefObject } from 'react';

const MARGIN = 16;

/** The browser scrolls the clipped panes to show a focused element; the canvas moves its viewport instead. */
function unscroll(from: HTMLElement, frame: HTMLElement): void {
  for (let pane: HTMLElement | null = from; pane && pane !== frame; pane = pane.parentElement) {
    if (pane.scrollTop !== 0) pane.scrollTop = 0;
    if (pane.scrollLeft !== 0) pane.scrollLeft = 0;
  }
}

/**
 * A focus handler for the canvas: when a card or an "Add step" button gets the focus (by Tab, or a
 * script) off screen, the view pans to centre it, so every card can be reached and seen without a mouse.
 */
export function usePanToFocus(frame: RefObject<HTMLDivElement | null>): (event: FocusEvent<HTMLDivElement>) => void {
  const flow = useReactFlow();
  return useCallback(
    (event: FocusEvent<HTMLDivElement>) => {
      const box = frame.current;
      const target = event.target;
      if (!box || !(target instanceof HTMLElement) || target.closest('.react-flow__panel')) return;
      unscroll(target, box);
      // Measured once the browser's own scrolling is undone.
      requestAnimationFrame(() => {
        unscroll(target, box);
        const outer = box.getBoundingClientRect();
        const inner = target.getBoundingClientRect();
        const inside =
          inner.top >= outer.top + MARGIN &&
          inner.bottom <= outer.bottom - MARGIN &&
          inner.left >= outer.left + MARGIN &&
          inner.right <= outer.right - MARGIN;
        if (inside) return;
        const { x, y, zoom } = flow.getViewport();
        void flow.setViewport({
          zoom,
          x: x + outer.left + outer.width / 2 - (inner.left + inner.width / 2),
          y: y + outer.top + outer.height / 2 - (inner.top + inner.height / 2),
        });
      });
    },
    [flow, frame],
  );
}
