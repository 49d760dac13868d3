import { parseRunsAtStep, runsBadge } from '../../../src/console/client/builder/runs-badge';

describe('the runs-at-step badge', () => {
  it('keeps only whole positive counts from the page block', () => {
    expect(parseRunsAtStep({ wait: 3, send: 0, odd: 1.5, text: '2', tag: 1 })).toEqual({ wait: 3, tag: 1 });
    expect(parseRunsAtStep(null)).toEqual({});
    expect(parseRunsAtStep([1, 2])).toEqual({});
  });

  it('shows no badge where no run stands', () => {
    expect(runsBadge(0)).toBeNull();
  });

  it('names the count of runs for assistive technology', () => {
    expect(runsBadge(3)).toEqual({ text: '3 here', label: '3 runs at this step' });
    expect(runsBadge(1)).toEqual({ text: '1 here', label: '1 run at this step' });
  });
});
