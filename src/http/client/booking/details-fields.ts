import { h } from './dom';

/**
 * "Your details": name and email (and phone, when the calendar asks for it), asked where the link
 * has no contact. Required and typed, so the browser checks them (and says what is missing) before
 * the widget's form is submitted; the phone's format is the server's to check (it accepts spaces,
 * dashes and brackets, and says what it wants).
 */
export function detailsFields(values: { name: string; email: string; phone: string | null }): HTMLElement {
  const field = (id: string, label: string, attributes: Record<string, string>, hint?: string) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label),
      h('input', { id, required: true, ...attributes, ...(hint && { 'aria-describedby': `${id}-hint` }) }),
      hint && h('p', { class: 'muted hint', id: `${id}-hint` }, hint),
    );
  return h(
    'fieldset',
    { class: 'details' },
    h('legend', {}, 'Your details'),
    field('widget-name', 'Your name', {
      type: 'text',
      name: 'name',
      autocomplete: 'name',
      maxlength: '200',
      value: values.name,
    }),
    field('widget-email', 'Your email', {
      type: 'email',
      name: 'email',
      autocomplete: 'email',
      maxlength: '254',
      value: values.email,
    }),
    values.phone !== null &&
      field(
        'widget-phone',
        'Your phone',
        { type: 'tel', name: 'phone', autocomplete: 'tel', maxlength: '40', value: values.phone },
        'With the country code, like +1 415 555 0123',
      ),
  );
}
