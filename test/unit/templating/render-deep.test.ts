import { renderDeep } from '../../../src/templating/render-deep';
import { renderTemplate } from '../../../src/templating/template';

describe('rendering a JSON body deeply', () => {
  it('renders every string, however deep, and leaves keys and other values alone', () => {
    const context = { contact: { firstName: 'Ada', id: 'c1' } };
    const body = {
      '{{contact.id}}': '{{contact.firstName}}',
      list: [1, '{{contact.id}}', { x: ['hi {{contact.firstName}}'] }],
      ok: true,
      none: null,
    };
    expect(renderDeep(body, (text) => renderTemplate(text, context))).toEqual({
      '{{contact.id}}': 'Ada',
      list: [1, 'c1', { x: ['hi Ada'] }],
      ok: true,
      none: null,
    });
  });
});
