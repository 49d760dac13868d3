import { barChartSvg } from '../../../src/console/workflows/funnel/funnel-chart';
import { funnelPeriodOf } from '../../../src/console/workflows/funnel/funnel-period';

const segment = (className: string, value: number) => ({ className, value, title: `${value} ${className}` });

describe('the funnel chart', () => {
  it('draws each bar in percent of the widest total, its segments one after the other', () => {
    const svg = barChartSvg({
      title: 'Runs',
      rows: [
        { label: 'Mint', total: 8, segments: [segment('funnel-completed', 8)], detail: '8 completed' },
        {
          label: 'Wait',
          total: 4,
          segments: [segment('funnel-completed', 1), segment('funnel-failed', 0), segment('funnel-waiting', 3)],
          detail: '1 completed · 3 waiting',
        },
      ],
    });
    expect(svg).toContain('<rect class="funnel-completed" x="0%" y="22" width="100%"');
    expect(svg).toContain('<rect class="funnel-completed" x="0%" y="88" width="12.5%"');
    expect(svg).toContain('<rect class="funnel-waiting" x="12.5%" y="88" width="37.5%"');
    // A zero segment draws nothing.
    expect(svg).not.toContain('funnel-failed');
  });

  it('is one image to assistive technology, named by its title, with no inline style', () => {
    const svg = barChartSvg({ title: 'Runs, last 7 days', rows: [] });
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-label="Runs, last 7 days"[^>]*><title>Runs, last 7 days<\/title>/);
    expect(svg).not.toMatch(/style/);
  });

  it('escapes step names, which the marketer writes', () => {
    const svg = barChartSvg({
      title: 'Runs',
      rows: [{ label: '<script>"x"</script>', total: 1, segments: [], detail: '' }],
    });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('draws an empty track, not a division by zero, when no run reached any step', () => {
    const svg = barChartSvg({ title: 'Runs', rows: [{ label: 'Mint', total: 0, segments: [], detail: '' }] });
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(svg).toContain('class="funnel-track"');
  });
});

describe('the funnel period of the workflow page', () => {
  it('takes 7d, 30d or 90d, and the last 30 days for anything else', () => {
    expect(funnelPeriodOf('7d').days).toBe(7);
    expect(funnelPeriodOf('90d').days).toBe(90);
    expect(funnelPeriodOf('').days).toBe(30);
    expect(funnelPeriodOf('365d').days).toBe(30);
  });
});
