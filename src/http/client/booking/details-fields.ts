import { h } from './dom';

/**
 * "Your details": name and email, asked where the link has no contact. Required and typed, so the
 * browser checks them (and says what is missing) before the widget's form is submitted.
 */
export function detailsFields(values: { name: string; email: string }): HTMLElement {
  const field = (id: string, label: string, attributes: Record<string, string>) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), h('input', { id, required: true, ...attributes }));
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
  );
}
