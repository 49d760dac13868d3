/** Attribute values: true sets a boolean attribute, false/null/undefined leave it out; `on…` adds a listener. */
type AttributeValue = string | number | boolean | null | undefined | ((event: Event) => void);
export type Child = Node | string | null | undefined | false;

/**
 * A tiny element builder for the widget. No `style` attribute ever: the page's CSP forbids inline
 * styles, so looks come from classes in /assets/linkflow.css.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, AttributeValue> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  element.append(
    ...children.filter((child): child is Node | string => child !== null && child !== undefined && child !== false),
  );
  return element;
}

let counter = 0;
/** A page-unique id for aria references. */
export const uniqueId = (prefix: string): string => `${prefix}-${++counter}`;
