import { readFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { addWorkflow } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { bookingApi } from '../booking/booking-helpers';
import { signedInAgent } from './console-client';

const LEAD_BOOKING_FILE = path.resolve(__dirname, '../../../workflows/lead-booking.yaml');

/** The issues a page shows beside the lines of the definition. */
const issueSpans = (html: string): string[] =>
  [...html.matchAll(/<span class="issue"[^>]*>(.*?)<\/span>/gs)].map((m) => m[1]!);

describe('checks of a workflow in the console', () => {
  let env: TestEnv;
  let accountId: string;
  let apiKey: string;
  let leadBooking: string;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId, apiKey } = await createTestAccount(env.container));
    await bookingApi(createApp(env.container), apiKey).createCalendar({ slug: 'discovery-call' });
    // The flagship, on a tag of its own; its templates are not this test's business.
    leadBooking = (await readFile(LEAD_BOOKING_FILE, 'utf8'))
      .replace('id: lead-booking', 'id: console-checks')
      .replace('template: booking-invite', 'subject: Book a call\n    text: "{{steps.link.url}}"')
      .replace('template: booking-link-reminder', 'body: "Book: {{steps.link.url}}"');
  });
  afterAll(async () => env.cleanup());

  const check = async (definition: string, intent: 'check' | 'save' = 'check') => {
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    return agent.post('/app/workflows').type('form').send({ _csrf: csrf, intent, definition });
  };

  it('passes the flagship workflow as written', async () => {
    const page = await check(leadBooking);
    expect(page.status).toBe(200);
    expect(issueSpans(page.text)).toEqual([]);
  });

  it('shows one YAML typo as one issue, at its line and column', async () => {
    const lines = leadBooking.split('\n');
    const index = lines.findIndex((line) => line.startsWith('    calendar: discovery-call #'));
    lines[index] = lines[index]!.slice(1); // one space short
    const page = await check(lines.join('\n'));
    expect(page.status).toBe(400);
    const issues = issueSpans(page.text);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toContain(`YAML syntax error at line ${index + 1}, column 1`);
    expect(page.text).toContain(`<li id="line-${index + 1}" class="has-issue">`);
    // The answer to Check opens at the editor, whose first line is the banner, not at the top of the page.
    expect(page.text).toContain('action="/app/workflows#editor"');
    expect(page.text.indexOf('id="editor"')).toBeLessThan(page.text.indexOf('problem(s) found'));
  });

  it('refuses a misspelled calendar at the line that names it, and creates nothing', async () => {
    const lines = leadBooking.split('\n');
    const index = lines.findIndex((line) => line === '    calendar: discovery-call');
    lines[index] = '    calendar: discovry-call';
    const page = await check(lines.join('\n'), 'save');
    expect(page.status).toBe(400);
    expect(page.text).toMatch(
      new RegExp(`<li id="line-${index + 1}" class="has-issue">.*data-path="steps\\[0\\]\\.calendar"`, 's'),
    );
    const rows: unknown[] = await env.container.db.query('SELECT 1 FROM workflows WHERE slug = $1', ['console-checks']);
    expect(rows).toHaveLength(0);
  });

  it('saves a templated calendar it cannot check', async () => {
    const templated = leadBooking
      .replace('id: console-checks', 'id: console-templated')
      .replace(
        '    calendar: discovery-call\n    expiresIn',
        "    calendar: '{{contact.customFields.cal}}'\n    expiresIn",
      );
    expect((await check(templated, 'save')).status).toBe(303);
  });

  it('warns on the workflows list of an active workflow whose calendar no longer resolves', async () => {
    const api = bookingApi(createApp(env.container), apiKey);
    const calendar = await api.createCalendar({ slug: 'renamed-soon' });
    const steps = [
      { id: 'link', name: 'Mint a link', type: 'generate_one_time_link', calendar: 'renamed-soon' },
      { id: 'done', type: 'end' },
    ];
    await addWorkflow(env.container, accountId, {
      id: 'uses-renamed',
      name: 'Uses renamed',
      trigger: { type: 'manual' },
      steps,
    });
    await addWorkflow(env.container, accountId, {
      id: 'draft-renamed',
      name: 'Draft renamed',
      status: 'draft',
      trigger: { type: 'manual' },
      steps,
    });
    const { agent } = await signedInAgent(env.container, apiKey);
    expect((await agent.get('/app/workflows').expect(200)).text).not.toContain('class="workflow-warnings"');

    await request(createApp(env.container))
      .patch(`/api/v1/calendars/${calendar.id}`)
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ slug: 'renamed-now' })
      .expect(200);
    const page = await agent.get('/app/workflows').expect(200);
    const lists = [
      ...page.text.matchAll(/<ul class="workflow-warnings" aria-label="Warnings of ([^"]+)">(.*?)<\/ul>/gs),
    ];
    expect(lists.map((m) => m[1])).toEqual(['Uses renamed']);
    expect(lists[0]![2]).toContain('data-path="steps[0].calendar"');
    expect(lists[0]![2]).toContain('&#x27;Mint a link&#x27; names the calendar &#x27;renamed-soon&#x27;');
  });
});
