import { addWorkflow } from '../../helpers/engine';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { signedInAgent } from './console-client';

describe('bad input to the console', () => {
  let env: TestEnv;
  let accountId: string;
  let apiKey: string;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId, apiKey } = await createTestAccount(env.container));
  });
  afterAll(async () => {
    await env.cleanup();
  });

  it('is answered with a page, never a 500', async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'w',
      name: 'W',
      trigger: { type: 'manual' },
      steps: [{ id: 'done', type: 'end' }],
    });
    const { agent, csrf } = await signedInAgent(env.container, apiKey);
    const NUL = '\u0000';
    const gets = [
      '/app/contacts?q=%00',
      '/app/contacts?tag=%00',
      '/app/contacts?cursor=nope',
      '/app/contacts?q=a&q=b',
      '/app/runs?cursor=nope&status=bogus&workflowId=x',
      '/app/workflows?cursor=nope',
      '/app/links?contact=%00&status=bogus&calendarId=x&cursor=y',
      '/app/calendars/00000000-0000-0000-0000-000000000000/share?tab=one-time&link=00000000-0000-0000-0000-000000000000',
      '/app/appointments?calendarId=00000000-0000-0000-0000-000000000000',
      '/app/messages/x/preview',
      '/app/no-such-page',
    ];
    const posts: [string, Record<string, string>][] = [
      ['/app/contacts', { email: 'not-an-email', phone: '123', tags: `a${NUL}` }],
      ['/app/contacts', {}],
      [`/app/workflows/${workflow.id}/definition`, { intent: 'save', definition: '' }],
      [`/app/workflows/${workflow.id}/definition`, { intent: 'save', definition: '[1, 2]' }],
      [
        `/app/workflows/${workflow.id}/definition`,
        {
          intent: 'save',
          definition: `id: w\nname: "a${NUL}"\ntrigger: {type: manual}\nsteps: [{id: done, type: end}]`,
        },
      ],
      [
        `/app/workflows/${workflow.id}/definition`,
        {
          intent: 'save',
          definition: 'id: w\nname: "a\\0"\ntrigger: {type: manual}\nsteps: [{id: done, type: end, "k\\0": 1}]',
        },
      ],
      [`/app/workflows/${workflow.id}/definition`, { intent: 'save', definition: `${'['.repeat(5000)}` }],
      [
        '/app/workflows',
        { intent: 'save', definition: 'id: w\nname: W\ntrigger: {type: manual}\nsteps: [{id: done, type: end}]' },
      ],
      [`/app/workflows/${workflow.id}/status`, { status: 'paused' }],
      [`/app/workflows/${workflow.id}/runs`, { contact: '' }],
      [`/app/workflows/${workflow.id}/runs`, { contact: `x${NUL}` }],
      [
        '/app/calendars',
        {
          name: '',
          timezone: 'Mars/Base',
          durationMinutes: 'abc',
          avail_mon_0_on: 'on',
          avail_mon_0_start: '25:00',
          avail_mon_0_end: 'x',
        },
      ],
      [
        '/app/calendars',
        { name: `a${NUL}`, timezone: 'UTC', durationMinutes: '30', bookingWindowDays: '1e9', minNoticeMinutes: '-1' },
      ],
      ['/app/links/not-a-uuid/revoke', {}],
      ['/app/runs/not-a-uuid/retry', {}],
      ['/app/runs/not-a-uuid/cancel', {}],
      ['/app/appointments/not-a-uuid/cancel', {}],
      ['/app/calendars/not-a-uuid/share/one-time-link', {}],
      ['/app/contacts/not-a-uuid/tags', { tag: 'x' }],
    ];
    const statuses: string[] = [];
    for (const path of gets) statuses.push(`GET ${path} ${(await agent.get(path)).status}`);
    for (const [path, body] of posts)
      statuses.push(
        `POST ${path} ${
          (
            await agent
              .post(path)
              .type('form')
              .send({ _csrf: csrf, ...body })
          ).status
        }`,
      );
    const crowded = Object.fromEntries(Array.from({ length: 2100 }, (_, index) => [`f${index}`, 'x']));
    statuses.push(
      `POST crowded form ${
        (
          await agent
            .post('/app/contacts')
            .type('form')
            .send({ _csrf: csrf, ...crowded })
        ).status
      }`,
    );
    statuses.push(
      `POST huge form ${
        (
          await agent
            .post('/app/contacts')
            .type('form')
            .send({ _csrf: csrf, email: 'x'.repeat(1_100_000) })
        ).status
      }`,
    );
    expect(statuses.filter((line) => / 5\d\d$/.test(line))).toEqual([]);
  });
});
