import { book, failureMessage, fetchSlots, RequestFailed, type CalendarView, type SlotView } from './api';
import { confirmationView } from './confirmation';
import { detailsFields } from './details-fields';
import {
  addMonths,
  compareMonths,
  dateKeyIn,
  firstDayOfWeek,
  formatMonth,
  formatWhen,
  monthOf,
  monthKey,
  monthRange,
  type DateKey,
  type Month,
} from './dates';
import { h } from './dom';
import { MonthGrid } from './month-grid';
import { TimeList } from './time-list';
import { ZonePicker } from './zone-picker';

export interface WidgetConfig {
  /** The page's own path: GET for slots, POST to book. */
  endpoint: string;
  zone: string;
  /** The end of the booking window: no month after its month is offered. */
  until: Date | null;
  /** Ask name and email (no contact known). */
  askName: boolean;
  /** Ask a phone number too (with askName, when the calendar asks for one). */
  askPhone: boolean;
  values: { name: string; email: string; phone: string };
  /** The confirmation's heading ("You’re booked", "Your appointment was moved"). */
  doneHeading: string;
  locale: string;
}

/** Months tried after an empty first one before the widget stops looking ahead by itself. */
const LOOK_AHEAD_MONTHS = 2;

/**
 * The booking widget: time zone, (name and email,) a month of days with free times, the chosen
 * day's times, and Confirm beside the chosen time. Months are fetched as needed and kept; a new zone
 * only regroups what is already there.
 */
export class BookingWidget {
  readonly element: HTMLFormElement;
  private readonly grid: MonthGrid;
  private readonly times: TimeList;
  private readonly loaded = new Map<string, SlotView[]>();
  private readonly pending = new Map<string, Promise<void>>();
  private calendar: CalendarView | null = null;
  private zone: string;
  private month: Month;
  private day: DateKey | null = null;
  private focusDay: DateKey;
  private chosen: string | null = null;
  private busy = false;
  private failed: string | null = null;

  constructor(
    private readonly config: WidgetConfig,
    private readonly card: HTMLElement,
  ) {
    this.zone = config.zone;
    this.focusDay = this.today();
    this.month = monthOf(this.focusDay);
    this.grid = new MonthGrid(config.locale, firstDayOfWeek(config.locale), {
      onSelect: (day) => this.selectDay(day, { scroll: true }),
      onMove: (day) => void this.moveFocus(day),
      onMonth: (step) => void this.showMonth(addMonths(this.month, step), { pick: true }),
    });
    this.times = new TimeList(config.locale, (start) => this.choose(start));
    const zone = new ZonePicker(this.zone, (picked) => this.setZone(picked));
    this.element = h(
      'form',
      { class: 'widget', onSubmit: (event) => void this.submit(event) },
      config.askName && detailsFields({ ...config.values, phone: config.askPhone ? config.values.phone : null }),
      h(
        'div',
        { class: 'widget-columns' },
        h('div', { class: 'widget-days' }, this.grid.element, zone.element),
        this.times.element,
      ),
    );
  }

  /** Shows the first month with free times (this one, or one of the next two). */
  async start(): Promise<void> {
    this.showInstants();
    for (let step = 0; step <= LOOK_AHEAD_MONTHS; step++) {
      await this.showMonth(step === 0 ? this.month : addMonths(this.month, 1), { pick: true });
      if (this.failed || this.daysOf(this.month)?.size !== 0 || !this.canGo(1)) return;
    }
  }

  private today(): DateKey {
    return dateKeyIn(new Date(), this.zone);
  }

  private canGo(step: -1 | 1): boolean {
    const next = addMonths(this.month, step);
    if (step < 0) return compareMonths(next, monthOf(this.today())) >= 0;
    return this.config.until === null || compareMonths(next, monthOf(dateKeyIn(this.config.until, this.zone))) <= 0;
  }

  /** The month's free times by local day in the current zone; null until loaded. */
  private daysOf(month: Month): Map<DateKey, SlotView[]> | null {
    const slots = this.loaded.get(monthKey(month));
    if (!slots) return null;
    const days = new Map<DateKey, SlotView[]>();
    const prefix = monthKey(month);
    for (const slot of slots) {
      const day = dateKeyIn(new Date(slot.start), this.zone);
      if (!day.startsWith(prefix)) continue;
      days.set(day, [...(days.get(day) ?? []), slot]);
    }
    return days;
  }

  private async load(month: Month): Promise<void> {
    const key = monthKey(month);
    if (this.loaded.has(key)) return;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = fetchSlots(this.config.endpoint, monthRange(month))
        .then((answer) => {
          this.calendar ??= answer.calendar;
          this.loaded.set(key, answer.slots);
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    await pending;
  }

  /** Shows a month; `pick` chooses its first free day when none of its days is chosen. */
  private async showMonth(month: Month, options: { pick?: boolean; focus?: DateKey } = {}): Promise<void> {
    const step = compareMonths(month, this.month);
    if (step !== 0 && !this.canGo(step < 0 ? -1 : 1)) return;
    const focusGrid = this.grid.hasFocus() || options.focus !== undefined;
    this.month = month;
    this.failed = null;
    if (options.focus) this.focusDay = options.focus;
    else if (!this.focusDay.startsWith(monthKey(month))) this.focusDay = `${monthKey(month)}-01`;
    this.render(focusGrid ? 'grid' : undefined);
    try {
      await this.load(month);
    } catch (error) {
      const message = failureMessage(error);
      if (message === null) return location.reload();
      if (this.month === month) this.failed = `We could not load the times. ${message}`;
    }
    if (this.month !== month) return;
    const days = this.daysOf(month);
    const first = days && [...days.keys()].sort()[0];
    if (options.pick && first && !(this.day && days.has(this.day))) {
      this.day = first;
      this.focusDay = options.focus ?? first;
    }
    this.render(focusGrid ? 'grid' : undefined);
  }

  private moveFocus(day: DateKey): Promise<void> | void {
    const target = monthOf(day);
    if (compareMonths(target, this.month) !== 0) return this.showMonth(target, { focus: day });
    this.focusDay = day;
    this.render('grid');
  }

  private selectDay(day: DateKey, options: { scroll?: boolean } = {}): void {
    if (day !== this.day && !(this.chosen && dateKeyIn(new Date(this.chosen), this.zone) === day)) this.chosen = null;
    this.day = day;
    this.focusDay = day;
    this.times.showError('');
    this.render('grid');
    // On a phone the times are below the grid, out of sight.
    if (options.scroll) this.times.element.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  private choose(start: string): void {
    this.chosen = start;
    this.times.showError('');
    this.render('times');
  }

  private setZone(zone: string): void {
    this.zone = zone;
    if (this.chosen) this.day = dateKeyIn(new Date(this.chosen), zone);
    const today = this.today();
    const wanted = this.day && this.day >= today ? monthOf(this.day) : this.month;
    this.month = compareMonths(wanted, monthOf(today)) < 0 ? monthOf(today) : wanted;
    if (this.day && !this.daysOf(this.month)?.has(this.day)) this.day = null;
    this.showInstants();
    void this.showMonth(this.month, { pick: true });
  }

  /** Times the page shows outside the widget (the reschedule page's current time) follow the zone too. */
  private showInstants(): void {
    for (const element of document.querySelectorAll<HTMLElement>('[data-instant]'))
      element.textContent = formatWhen(new Date(element.dataset.instant!), this.zone, this.config.locale);
  }

  private render(focus?: 'grid' | 'times'): void {
    const days = this.daysOf(this.month);
    const canNext = this.canGo(1);
    this.grid.render(
      {
        month: this.month,
        today: this.today(),
        available: days && new Set(days.keys()),
        selected: this.day,
        focus: this.focusDay,
        canPrevious: this.canGo(-1),
        canNext,
      },
      { focus: focus === 'grid' },
    );
    const empty =
      this.failed ??
      (days?.size === 0
        ? `No free times in ${formatMonth(this.month, this.config.locale)}.${canNext ? ' Try the next month.' : ''}`
        : 'Choose a day to see its times.');
    const shown = this.day && days?.has(this.day) ? this.day : null;
    this.times.render(
      {
        day: shown,
        slots: this.failed ? [] : days && (shown ? (days.get(shown) ?? []) : []),
        chosen: this.chosen,
        zone: this.zone,
        busy: this.busy,
        empty,
      },
      { focus: focus === 'times' },
    );
  }

  private async submit(event: Event): Promise<void> {
    // The browser has checked name and email (required, type=email) and that a phone is there before this event fires.
    event.preventDefault();
    if (this.busy || !this.chosen) return;
    const form = new FormData(this.element);
    this.busy = true;
    this.times.setBusy(true);
    this.times.showError('');
    try {
      const answer = await book(this.config.endpoint, {
        start: this.chosen,
        tz: this.zone,
        ...(this.config.askName ? { name: String(form.get('name')), email: String(form.get('email')) } : {}),
        ...(this.config.askPhone ? { phone: String(form.get('phone')) } : {}),
      });
      this.showConfirmation(answer);
    } catch (error) {
      this.busy = false;
      this.times.setBusy(false);
      const message = failureMessage(error);
      if (message === null) return location.reload();
      if (error instanceof RequestFailed && error.status === 409) {
        // Taken meanwhile: drop the month's times and ask again.
        this.loaded.delete(monthKey(this.month));
        this.chosen = null;
        await this.showMonth(this.month);
        if (!this.times.focusTime(null)) this.grid.element.querySelector<HTMLElement>('[tabindex="0"]')?.focus();
      }
      this.times.showError(message);
    }
  }

  private showConfirmation(answer: Parameters<typeof confirmationView>[0]['answer']): void {
    const calendar = this.calendar ?? { name: '', timezone: this.zone, durationMinutes: 0, ownerName: null };
    const view = confirmationView({
      heading: this.config.doneHeading,
      answer,
      calendar,
      zone: this.zone,
      locale: this.config.locale,
    });
    this.card.replaceChildren(...view);
    document.title = this.config.doneHeading;
    view[0]?.focus();
  }
}
