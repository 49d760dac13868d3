import { createContext, useContext, useEffect, useState } from 'react';
import { fetchList } from './api-client';

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
}

const EMPTY: PickerData = { calendars: null, templates: null, tags: null };
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

/** Loads calendars, templates and tags once, with the console session. */
export function usePickerData(): PickerData {
  const [data, setData] = useState<PickerData>(EMPTY);
  useEffect(() => {
    let live = true;
    void Promise.all([
      fetchList<CalendarOption>('/api/v1/calendars'),
      fetchList<unknown>('/api/v1/templates'),
      fetchList<unknown>('/api/v1/tags'),
    ]).then(([calendars, templates, tags]) => {
      if (!live) return;
      setData({
        calendars,
        templates: templates ? templates.map(asTemplate).filter((t): t is TemplateOption => t !== null) : null,
        tags: tags ? tags.map(asTag).filter((t): t is string => t !== null) : null,
      });
    });
    return () => {
      live = false;
    };
  }, []);
  return data;
}
