import type { SlotView } from './api';
import { formatDay, formatTime, type DateKey } from './dates';
import { h, uniqueId } from './dom';

export interface TimeListState {
  day: DateKey | null;
  /** The day's free times; null while they load. */
  slots: SlotView[] | null;
  chosen: string | null;
  zone: string;
  busy: boolean;
  /** What the status line says when there is no day to show (nothing free this month, a failed load). */
  empty: string;
}

/**
 * The chosen day's times, one button each; the chosen one gets **Confirm** beside it (a submit
 * button of the widget's form). A live status line tells screen readers what the list now holds.
 * Up and Down move between the times.
 */
export class TimeList {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly status: HTMLElement;
  private readonly error: HTMLElement;
  private readonly list: HTMLUListElement;

  constructor(
    private readonly locale: string,
    private readonly onChoose: (start: string) => void,
  ) {
    const titleId = uniqueId('times');
    this.title = h('h2', { id: titleId, class: 'times-title' }, 'Times');
    this.status = h('p', { role: 'status', class: 'muted times-status' });
    // Beside the Confirm button that caused it, where a phone's screen is when it appears.
    this.error = h('p', { role: 'alert', class: 'error times-error' });
    this.list = h('ul', {
      class: 'time-list',
      'aria-labelledby': titleId,
      onKeydown: (event) => this.onKeydown(event as KeyboardEvent),
    });
    this.element = h(
      'section',
      { class: 'times', 'aria-labelledby': titleId },
      this.title,
      this.status,
      this.error,
      this.list,
    );
  }

  render(state: TimeListState, options: { focus?: boolean } = {}): void {
    const dayLabel = state.day ? formatDay(state.day, this.locale) : null;
    this.title.textContent = dayLabel ?? 'Times';
    const count = state.slots?.length ?? 0;
    const statusText =
      state.slots === null
        ? 'Loading times…'
        : state.day === null
          ? state.empty
          : `${count} ${count === 1 ? 'time' : 'times'} available on ${dayLabel}, in ${state.zone.replace(/_/g, ' ')} time.`;
    // Only a change is announced; the same words again would be read out again.
    if (this.status.textContent !== statusText) this.status.textContent = statusText;
    this.list.replaceChildren(...(state.slots ?? []).map((slot) => this.item(slot, state)));
    if (options.focus) this.list.querySelector<HTMLButtonElement>(`button[data-start="${state.chosen}"]`)?.focus();
  }

  /** While booking: Confirm stays focused but does nothing more. */
  setBusy(busy: boolean): void {
    const confirm = this.list.querySelector('button.confirm');
    if (busy) confirm?.setAttribute('aria-disabled', 'true');
    else confirm?.removeAttribute('aria-disabled');
    this.list.setAttribute('aria-busy', String(busy));
  }

  /** An error to announce at once (role=alert); empty clears it. */
  showError(text: string): void {
    this.error.textContent = text;
  }

  /** Focus on the chosen time, else the first one; false when there is none. */
  focusTime(start: string | null): boolean {
    const times = [...this.list.querySelectorAll<HTMLButtonElement>('button.time')];
    const target = times.find((time) => time.dataset.start === start) ?? times[0];
    target?.focus();
    return target !== undefined;
  }

  /** True when keyboard focus is on one of the times. */
  hasFocus(): boolean {
    return this.list.contains(document.activeElement);
  }

  private item(slot: SlotView, state: TimeListState): HTMLElement {
    const chosen = slot.start === state.chosen;
    const label = formatTime(new Date(slot.start), state.zone, this.locale);
    const timeId = uniqueId('time');
    const time = h(
      'button',
      {
        type: 'button',
        id: timeId,
        class: 'time',
        'data-start': slot.start,
        'aria-pressed': String(chosen),
        onClick: () => this.onChoose(slot.start),
      },
      label,
    );
    if (!chosen) return h('li', {}, time);
    const confirm = h(
      'button',
      {
        type: 'submit',
        class: 'confirm',
        // aria-disabled, not disabled: a disabled button would lose the keyboard focus while booking.
        'aria-disabled': state.busy ? 'true' : null,
        'aria-describedby': `${this.title.id} ${timeId}`,
      },
      'Confirm',
    );
    return h('li', { class: 'chosen' }, time, confirm);
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const times = [...this.list.querySelectorAll<HTMLButtonElement>('button.time')];
    const index = times.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    event.preventDefault();
    times[Math.max(0, Math.min(times.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus();
  }
}
