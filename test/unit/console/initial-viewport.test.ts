import { initialViewport, READABLE_ZOOM } from '../../../src/console/client/builder/initial-viewport';

const card = (x: number, y: number) => ({ x, y, width: 260, height: 76 });
/** A column of `count` cards, 112 px apart, like a linear workflow. */
const column = (count: number) => Array.from({ length: count }, (_, index) => card(0, index * 112));
const screen = { width: 900, height: 600 };

describe('where the builder canvas opens', () => {
  it('shows a workflow that fits at a readable size whole, centred, never above 100%', () => {
    const view = initialViewport(column(3), screen);
    expect(view.zoom).toBe(1);
    expect(view.x).toBe((900 - 260) / 2);
    expect(view.y).toBe((600 - (2 * 112 + 76)) / 2);
  });

  it('opens a tall workflow at a readable zoom with its first card at the top, instead of shrinking it', () => {
    const view = initialViewport(column(12), screen, card(0, 0));
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(view.y).toBe(24);
  });

  it('centres the trigger on a screen narrower than the workflow', () => {
    const wide = [card(0, 0), card(600, 112), card(0, 224)];
    const view = initialViewport(wide, { width: 390, height: 400 }, card(0, 0));
    expect(view.zoom).toBe(READABLE_ZOOM);
    expect(view.x + 130 * view.zoom).toBe(195);
  });

  it('pans to a card that would be off screen (the one just added)', () => {
    const steps = column(12);
    const last = steps[11]!;
    const view = initialViewport(steps, screen, steps[0], last);
    const top = last.y * view.zoom + view.y;
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top + last.height * view.zoom).toBeLessThanOrEqual(screen.height);
  });
});
