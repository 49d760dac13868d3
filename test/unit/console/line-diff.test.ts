import { lineDiff } from '../../../src/console/client/builder/line-diff';

const render = (before: string, after: string): string[] =>
  lineDiff(before, after).map(({ kind, text }) => `${kind === 'same' ? ' ' : kind === 'removed' ? '-' : '+'}${text}`);

describe('the line diff of two definitions (the builder’s Versions tab)', () => {
  it('marks nothing when the texts are equal', () => {
    expect(render('a\nb\n', 'a\nb\n')).toEqual([' a', ' b']);
  });

  it('shows a changed line as removed then added, between the lines both keep', () => {
    expect(render('id: x\nname: Old\ntag: t\n', 'id: x\nname: New\ntag: t\n')).toEqual([
      ' id: x',
      '-name: Old',
      '+name: New',
      ' tag: t',
    ]);
  });

  it('keeps the longest run of common lines when lines move, are added and are removed', () => {
    expect(render('a\nb\nc\nd\n', 'b\nc\nx\nd\ne\n')).toEqual(['-a', ' b', ' c', '+x', ' d', '+e']);
  });

  it('handles an empty side', () => {
    expect(render('', 'a\n')).toEqual(['+a']);
    expect(render('a\n', '')).toEqual(['-a']);
  });
});
