import { zoneOffset } from './dates';
import { h, uniqueId } from './dom';

/** The most options the list shows at once; typing narrows the ~400 zones down. */
const MAX_OPTIONS = 60;

const zoneLabel = (zone: string): string => zone.replace(/_/g, ' ');

function knownZones(current: string): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    // An older browser: the zone in use and UTC are still offered.
  }
  return [...new Set([current, 'UTC', ...zones])];
}

/**
 * "Time zone": a searchable combobox (ARIA 1.2 combobox with a listbox popup). Typing filters the
 * zones by name or offset ("tokyo", "new york", "GMT+2"); arrows move through the options, Enter or
 * a click applies one at once, Escape closes and keeps the current zone.
 */
export class ZonePicker {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly zones: string[];
  private readonly offsets = new Map<string, string>();
  private shown: string[] = [];
  private active = -1;

  constructor(
    private zone: string,
    private readonly onChange: (zone: string) => void,
  ) {
    this.zones = knownZones(zone);
    const inputId = uniqueId('zone');
    const listId = uniqueId('zones');
    this.input = h('input', {
      id: inputId,
      type: 'text',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': listId,
      autocomplete: 'off',
      autocapitalize: 'off',
      spellcheck: 'false',
      onFocus: () => this.input.select(),
      onClick: () => this.open(''),
      onInput: () => this.open(this.input.value),
      onKeydown: (event) => this.onKeydown(event as KeyboardEvent),
      onBlur: () => this.close(),
    });
    this.list = h('ul', {
      id: listId,
      role: 'listbox',
      'aria-label': 'Zone suggestions',
      class: 'zone-options',
      hidden: true,
    });
    this.element = h(
      'div',
      { class: 'zone-field' },
      h('label', { for: inputId }, 'Time zone'),
      h('div', { class: 'combobox' }, this.input, this.list),
    );
    this.showValue();
  }

  private label(zone: string): string {
    let offset = this.offsets.get(zone);
    if (offset === undefined) {
      offset = zoneOffset(zone, new Date());
      this.offsets.set(zone, offset);
    }
    return offset ? `${zoneLabel(zone)} (${offset})` : zoneLabel(zone);
  }

  private showValue(): void {
    this.input.value = this.label(this.zone);
  }

  private open(query: string): void {
    const words = query.toLowerCase().replace(/_/g, ' ').split(/\s+/).filter(Boolean);
    // The box shows the current zone's label: opening on it lists every zone, not just that one.
    const everything = words.length === 0 || query === this.label(this.zone);
    this.shown = [];
    for (const zone of this.zones) {
      if (this.shown.length >= MAX_OPTIONS) break;
      const text = this.label(zone).toLowerCase();
      if (everything || words.every((word) => text.includes(word))) this.shown.push(zone);
    }
    this.active = everything ? this.shown.indexOf(this.zone) : this.shown.length > 0 ? 0 : -1;
    this.list.replaceChildren(
      ...this.shown.map((zone, index) =>
        h(
          'li',
          {
            id: `${this.list.id}-${index}`,
            role: 'option',
            'aria-selected': String(index === this.active),
            // mousedown would blur the input (and close the list) before the click lands.
            onMousedown: (event) => event.preventDefault(),
            onClick: () => this.choose(zone),
          },
          this.label(zone),
        ),
      ),
    );
    if (this.shown.length === 0) this.list.append(h('li', { class: 'zone-none', role: 'presentation' }, 'No match'));
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.highlight();
  }

  private close(): void {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.showValue();
  }

  private highlight(): void {
    const options = [...this.list.querySelectorAll('[role=option]')];
    options.forEach((option, index) => option.setAttribute('aria-selected', String(index === this.active)));
    const current = options[this.active];
    if (current) {
      this.input.setAttribute('aria-activedescendant', current.id);
      current.scrollIntoView({ block: 'nearest' });
    } else this.input.removeAttribute('aria-activedescendant');
  }

  private choose(zone: string): void {
    const changed = zone !== this.zone;
    this.zone = zone;
    this.close();
    if (changed) this.onChange(zone);
  }

  private onKeydown(event: KeyboardEvent): void {
    const expanded = !this.list.hidden;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!expanded) return this.open('');
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = Math.max(0, Math.min(this.shown.length - 1, this.active + step));
      this.highlight();
    } else if (event.key === 'Enter') {
      // Never submits the booking form around it.
      event.preventDefault();
      const zone = this.shown[this.active];
      if (expanded && zone) this.choose(zone);
    } else if (event.key === 'Escape' && expanded) {
      // Handled here: an embedding page's overlay must not close on this Escape.
      event.preventDefault();
      this.close();
      this.input.select();
    }
  }
}
