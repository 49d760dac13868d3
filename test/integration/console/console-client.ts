import request from 'supertest';
import type { Container } from '../../../src/container';
import { createApp } from '../../../src/roles/http-app';

/** The value of the first `<input name="_csrf">` of a page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1]!;
}

/** A supertest agent (it keeps cookies) signed in to the console with `apiKey`, and the session's CSRF token. */
export async function signedInAgent(
  container: Container,
  apiKey: string,
): Promise<{ agent: ReturnType<typeof request.agent>; csrf: string }> {
  const agent = request.agent(createApp(container));
  const form = await agent.get('/app/login').expect(200);
  await agent
    .post('/app/login')
    .type('form')
    .send({ apiKey, _csrf: csrfOf(form.text) })
    .expect(303);
  const page = await agent.get('/app/contacts').expect(200);
  return { agent, csrf: csrfOf(page.text) };
}

/** An href as the browser reads it: Handlebars escapes `&`, `=` and quotes in attribute values. */
export function decodeHref(href: string): string {
  return href
    .replace(/&#x3D;/g, '=')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
