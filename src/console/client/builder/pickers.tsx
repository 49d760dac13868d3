import { createContext, useContext, useEffect, useState } from 'react';
import { fetchList } from './api-client';
import type { ContactFields } from './key-value-rows';

export interface CalendarOption {
  id: string;
  slug: string;
  name: string;
}
export interface TemplateOption {
  name: string;
  kind: 'email' | 'sms';
}

/** What the account offers to pick from; null where the API gave nothing (then a text field). */
export interface PickerData {
  calendars: CalendarOption[] | null;
  templates: TemplateOption[] | null;
  tags: string[] | null;
  contactFields: ContactFields | null;
}

const EMPTY: PickerData = { calendars: null, templates: null, tags: null, contactFields: null };
export const PickerContext = createContext<PickerData>(EMPTY);
export const usePickers = (): PickerData => useContext(PickerContext);

const asTemplate = (item: unknown): TemplateOption | null => {
  if (!item || typeof item !== 'object') return null;
  const { name, kind, channel } = item as Record<string, unknown>;
  const type = kind ?? channel;
  return typeof name === 'string' && (type === 'email' || type === 'sms') ? { name, kind: type } : null;
};
const asTag = (item: unknown): string | null =>
  typeof item === 'string'
    ? item
    : item && typeof item === 'object' && typeof (item as { tag?: unknown }).tag === 'string'
      ? (item as { tag: string }).tag
      : item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string'
        ? (item as { name: string }).name
        : null;

/** `GET /api/v1/contact-fields`, or null when it is missing or refuses. */
async function fetchContactFields(): Promise<ContactFields | null> {
  try {
    const response = await fetch('/api/v1/contact-fields', {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) return null;
    const body = (await response.json()) as Partial<ContactFields>;
    return Array.isArray(body.builtIn) && Array.isArray(body.custom)
      ? { builtIn: body.builtIn, custom: body.custom }
      : null;
  } catch {
    return null;
  }
}

/** Loads calendars, templates, tags and contact fields once, with the console session. */
export function usePickerData(): PickerData {
  const [data, setData] = useState<PickerData>(EMPTY);
  useEffect(() => {
    let live = true;
    void Promise.all([
      fetchList<CalendarOption>('/api/v1/calendars'),
      fetchList<unknown>('/api/v1/templates'),
      fetchList<unknown>('/api/v1/tags'),
      fetchContactFields(),
    ]).then(([calendars, templates, tags, contactFields]) => {
      if (!live) return;
      setData({
        calendars,
        templates: templates ? templates.map(asTemplate).filter((t): t is TemplateOption => t !== null) : null,
        tags: tags ? tags.map(asTag).filter((t): t is string => t !== null) : null,
        contactFields,
      });
    });
    return () => {
      live = false;
    };
  }, []);
  return data;
}
