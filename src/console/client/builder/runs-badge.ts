/** Live runs (running or waiting) standing at each step, by step id, as the edit page embeds them. */
export type RunsAtStep = Readonly<Record<string, number>>;

/** The page's `{ stepId: count }` block, keeping only whole positive counts; anything else gives none. */
export function parseRunsAtStep(value: unknown): RunsAtStep {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(
      (entry): entry is [string, number] => Number.isInteger(entry[1]) && (entry[1] as number) > 0,
    ),
  );
}

/** The badge's text and its accessible name: "3 here" / "3 runs at this step". */
export function runsBadge(count: number): { text: string; label: string } | null {
  if (count <= 0) return null;
  return { text: `${count} here`, label: `${count} run${count === 1 ? '' : 's'} at this step` };
}
