import {
  addDays,
  addMonthsToDate,
  formatDay,
  formatMonth,
  monthWeeks,
  weekdayNames,
  weekdayOf,
  type DateKey,
  type Month,
} from './dates';
import { h, uniqueId } from './dom';

export interface MonthGridState {
  month: Month;
  today: DateKey;
  /** Days with at least one free time; null while the month loads. */
  available: ReadonlySet<DateKey> | null;
  selected: DateKey | null;
  /** The one day in the tab order (roving tabindex). */
  focus: DateKey;
  canPrevious: boolean;
  canNext: boolean;
}

export interface MonthGridEvents {
  onSelect(day: DateKey): void;
  /** Arrow keys asked for another day, maybe in another month. */
  onMove(day: DateKey): void;
  onMonth(step: -1 | 1): void;
}

/**
 * The month of days (ARIA grid pattern): days with free times are buttons, the others are
 * aria-disabled but still reachable with the arrows, as the pattern wants. Keys: arrows by day and
 * week, Home/End to the week's ends, Page Up/Down by month, Enter or Space to choose.
 */
export class MonthGrid {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly previous: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private readonly body: HTMLTableSectionElement;
  private readonly firstDay: number;

  constructor(
    private readonly locale: string,
    firstDay: number,
    private readonly events: MonthGridEvents,
  ) {
    this.firstDay = firstDay;
    const titleId = uniqueId('month');
    this.title = h('h2', { id: titleId, class: 'month-title', 'aria-live': 'polite' });
    this.previous = h(
      'button',
      { type: 'button', class: 'month-step', 'aria-label': 'Previous month', onClick: () => events.onMonth(-1) },
      '‹',
    );
    this.next = h(
      'button',
      { type: 'button', class: 'month-step', 'aria-label': 'Next month', onClick: () => events.onMonth(1) },
      '›',
    );
    this.body = h('tbody', { onKeydown: (event) => this.onKeydown(event as KeyboardEvent) });
    const head = h(
      'tr',
      {},
      ...weekdayNames(firstDay, locale).map((name) => h('th', { scope: 'col', abbr: name.long }, name.short)),
    );
    this.element = h(
      'section',
      { class: 'month', 'aria-labelledby': titleId },
      h('div', { class: 'month-head' }, this.previous, this.title, this.next),
      h('table', { role: 'grid', class: 'days', 'aria-labelledby': titleId }, h('thead', {}, head), this.body),
    );
  }

  render(state: MonthGridState, options: { focus?: boolean } = {}): void {
    this.title.textContent = formatMonth(state.month, this.locale);
    // A month button that just went disabled would drop the focus to the page: hand it to the other one.
    if (document.activeElement === this.next && !state.canNext) this.previous.focus();
    if (document.activeElement === this.previous && !state.canPrevious) this.next.focus();
    this.previous.disabled = !state.canPrevious;
    this.next.disabled = !state.canNext;
    this.body.setAttribute('aria-busy', String(state.available === null));
    this.body.replaceChildren(
      ...monthWeeks(state.month, this.firstDay).map((week) =>
        h('tr', {}, ...week.map((day) => (day ? this.cell(day, state) : h('td')))),
      ),
    );
    if (options.focus) this.buttonOf(state.focus)?.focus();
  }

  /** True when keyboard focus is on one of the days. */
  hasFocus(): boolean {
    return this.body.contains(document.activeElement);
  }

  private cell(day: DateKey, state: MonthGridState): HTMLElement {
    const free = state.available?.has(day) ?? false;
    const selected = day === state.selected;
    const button = h(
      'button',
      {
        type: 'button',
        class: `day${free ? ' free' : ''}`,
        'data-day': day,
        tabindex: day === state.focus ? 0 : -1,
        'aria-label': formatDay(day, this.locale),
        'aria-disabled': free ? null : 'true',
        'aria-current': day === state.today ? 'date' : null,
        'aria-pressed': free ? String(selected) : null,
        onClick: () => (free ? this.events.onSelect(day) : this.events.onMove(day)),
      },
      String(Number(day.slice(8, 10))),
    );
    return h('td', {}, button);
  }

  private buttonOf(day: DateKey): HTMLButtonElement | null {
    return this.body.querySelector(`button[data-day="${day}"]`);
  }

  private onKeydown(event: KeyboardEvent): void {
    const day = (event.target as HTMLElement).closest('button')?.dataset.day;
    if (!day) return;
    const weekday = (weekdayOf(day) - this.firstDay + 7) % 7;
    const moves: Record<string, () => DateKey> = {
      ArrowLeft: () => addDays(day, -1),
      ArrowRight: () => addDays(day, 1),
      ArrowUp: () => addDays(day, -7),
      ArrowDown: () => addDays(day, 7),
      Home: () => addDays(day, -weekday),
      End: () => addDays(day, 6 - weekday),
      PageUp: () => addMonthsToDate(day, -1),
      PageDown: () => addMonthsToDate(day, 1),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    this.events.onMove(move());
  }
}
