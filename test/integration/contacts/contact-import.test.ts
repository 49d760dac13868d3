import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { connect, type AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { unsubscribeFromEmail } from '../../../src/contacts/contact-unsubscribe';
import { getContact } from '../../../src/contacts/contact-service';
import { markQueued } from '../../../src/contacts/import/contact-import-store';
import { stageCsvUpload } from '../../../src/contacts/import/csv-staging';
import { processImportSlice } from '../../../src/contacts/import/import-job';
import { completeUpload } from '../../../src/contacts/import/import-service';
import { errorHandler } from '../../../src/http/middleware/error-handler';
import { contactImportUploadRoutes } from '../../../src/http/routes/contact-imports';
import { createApp } from '../../../src/roles/http-app';
import { startWorkers, type RunningWorkers } from '../../../src/roles/worker';
import { addContact, addWorkflow, runsOf } from '../../helpers/engine';
import { createTestAccount, createTestEnv, waitFor, type TestEnv } from '../../helpers/test-env';
import { importFinished, uploadCsv } from './import-helpers';

jest.setTimeout(90_000);

describe('importing contacts from a CSV file over the API', () => {
  let env: TestEnv;
  let workers: RunningWorkers;
  let app: express.Express;
  let accountId: string;
  let apiKey: string;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ accountId, apiKey } = await createTestAccount(env.container));
    app = createApp(env.container);
    workers = startWorkers(env.container);
  });
  afterAll(async () => {
    await workers?.close();
    await env?.cleanup();
  });

  const outboxOf = async (contactId: string): Promise<{ type: string; data: { tag?: string } }[]> =>
    env.container.db.query('SELECT type, data FROM outbox_events WHERE contact_id = $1 ORDER BY id', [contactId]);
  const contactIdOf = async (email: string): Promise<string> =>
    (
      (await env.container.db.query('SELECT id FROM contacts WHERE account_id = $1 AND lower(email) = lower($2)', [
        accountId,
        email,
      ])) as { id: string }[]
    )[0]!.id;

  it('imports the good rows, counts the bad ones, and lists them with their reasons as CSV', async () => {
    const csv = [
      'email,first_name,last_name,phone,Company',
      'ada@example.com,Ada,Lovelace,+44 20 7946 0958,Analytical',
      'not-an-email,Bad,Email,,Acme',
      'grace@example.com,Grace,Hopper,,Navy',
      ',No,Email,,"Quotes, commas"',
      'alan@example.com,Alan,Turing,555-0199,Bletchley',
      'ADA@example.com,Augusta Ada,,,',
      'nul@example.com,Nul\u0000Name,,,',
      'linus@example.com,Linus,,,',
    ].join('\r\n');
    const accepted = await uploadCsv(app, apiKey, csv, {
      mapping: JSON.stringify({ Company: 'customFields.company' }),
    }).expect(202);
    expect(accepted.body).toEqual({ id: expect.any(String), status: 'queued' });
    expect(accepted.headers.location).toBe(`/api/v1/imports/${accepted.body.id}`);

    expect(await importFinished(app, apiKey, accepted.body.id)).toMatchObject({
      status: 'completed',
      total: 8,
      processed: 8,
      created: 3,
      updated: 1,
      failed: 4,
    });
    const ada = await getContact(env.container.db.manager, accountId, await contactIdOf('ada@example.com'));
    expect(ada).toMatchObject({
      email: 'ada@example.com',
      firstName: 'Augusta Ada',
      lastName: 'Lovelace',
      phone: '+442079460958',
      customFields: { company: 'Analytical' },
    });

    const report = await request(app)
      .get(`/api/v1/imports/${accepted.body.id}/errors`)
      .set('Authorization', `Bearer ${apiKey}`)
      .expect(200);
    expect(report.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(report.headers['content-disposition']).toContain('attachment');
    expect(report.text).toBe(
      [
        'row,email,first_name,last_name,phone,Company,reason',
        '3,not-an-email,Bad,Email,,Acme,email: must be a valid email address',
        '5,,No,Email,,"Quotes, commas",no email',
        '6,alan@example.com,Alan,Turing,555-0199,Bletchley,phone: must be an E.164 phone number like +14155550123',
        '8,nul@example.com,Nul\ufffdName,,,,"column ""first_name"": contains a NUL or unpaired surrogate character"',
        '',
      ].join('\r\n'),
    );
  });

  it('updates the contact with the same email without clearing its unsubscribe, do-not-disturb or filled fields', async () => {
    const existing = await addContact(env.container, accountId, {
      email: 'Keep@Example.com',
      firstName: 'Keep',
      phone: '+14155550100',
      dnd: true,
      tags: ['old'],
      customFields: { a: '1' },
    });
    await env.container.db.transaction((tx) => unsubscribeFromEmail(tx, existing.id));
    const [before] = await outboxOf(existing.id).then((events) => [events.length]);

    const accepted = await uploadCsv(
      app,
      apiKey,
      'email,first_name,last_name,phone,dnd,customFields.b\nkeep@example.com,,Kept,,no,2\n',
      { tags: 'old, new' },
    ).expect(202);
    expect(await importFinished(app, apiKey, accepted.body.id)).toMatchObject({ created: 0, updated: 1, failed: 0 });

    expect(await getContact(env.container.db.manager, accountId, existing.id)).toMatchObject({
      email: 'Keep@Example.com',
      firstName: 'Keep',
      lastName: 'Kept',
      phone: '+14155550100',
      dnd: true,
      unsubscribedFromEmail: true,
      tags: ['old', 'new'],
      customFields: { a: '1', b: '2' },
    });
    // Only the tag that was new to the contact is announced; an update creates nothing.
    expect((await outboxOf(existing.id)).slice(before)).toEqual([{ type: 'contact.tag_added', data: { tag: 'new' } }]);
  });

  it("fires contact.tag_added for the import's tags, so a workflow started by the tag gets runs", async () => {
    const workflow = await addWorkflow(env.container, accountId, {
      id: 'webinar-follow-up',
      name: 'Webinar follow-up',
      trigger: { type: 'contact.tag_added', tag: 'webinar' },
      steps: [{ id: 'mark', type: 'add_tag', tag: 'followed-up' }],
    });
    const attendee = await addContact(env.container, accountId, { email: 'been@example.com', tags: ['webinar'] });
    await waitFor(async () => (await runsOf(env.container, workflow.id)).length === 1, { what: 'the earlier run' });

    const accepted = await uploadCsv(
      app,
      apiKey,
      'Email\nw1@example.com\nw2@example.com\nw3@example.com\nbeen@example.com\n',
      { tags: 'Webinar' },
    ).expect(202);
    expect(await importFinished(app, apiKey, accepted.body.id)).toMatchObject({ created: 3, updated: 1 });

    const runs = await waitFor(
      async () => {
        const all = await runsOf(env.container, workflow.id);
        return all.length === 4 && all.every((run) => run.status === 'completed') ? all : null;
      },
      { what: 'a completed run for each newly tagged contact' },
    );
    const enrolled = new Set(runs.map((run) => run.contact_id));
    for (const email of ['w1@example.com', 'w2@example.com', 'w3@example.com'])
      expect(enrolled.has(await contactIdOf(email))).toBe(true);
    expect(runs.filter((run) => run.contact_id === attendee.id)).toHaveLength(1);
    expect(await outboxOf(await contactIdOf('w1@example.com'))).toEqual([
      { type: 'contact.created', data: {} },
      { type: 'contact.tag_added', data: { tag: 'webinar' } },
      { type: 'contact.tag_added', data: { tag: 'followed-up' } },
    ]);
  });

  it('counts every row once when two deliveries of the same job run at the same time', async () => {
    const csv = `email\n${Array.from({ length: 2500 }, (_, i) => `twice${i}@example.com`).join('\n')}\n`;
    const staged = await stageCsvUpload(env.container.db, {
      accountId,
      fileName: 'twice.csv',
      file: Readable.from([Buffer.from(csv)]),
    });
    await completeUpload(env.container, { accountId, staged, tags: ['twice'], mapping: {}, start: false });
    // Queued by hand, with no job: only the two deliveries below work on it.
    await env.container.db.transaction((tx) => markQueued(tx, { accountId, importId: staged.importId }));
    const deps = { enrol: () => Promise.reject(new Error('not a bulk enrolment')) };
    const payload = { importId: staged.importId, from: 0 };
    await Promise.all([
      processImportSlice(env.container, deps, payload, { last: false }),
      processImportSlice(env.container, deps, payload, { last: false }),
    ]);
    expect(await importFinished(app, apiKey, staged.importId)).toMatchObject({
      status: 'completed',
      total: 2500,
      processed: 2500,
      created: 2500,
    });
    const events: { count: string }[] = await env.container.db.query(
      `SELECT count(*) FROM outbox_events e JOIN contacts c ON c.id = e.contact_id
        WHERE c.email LIKE 'twice%' AND e.type = 'contact.created'`,
    );
    expect(Number(events[0]!.count)).toBe(2500);
  });

  describe('refusing what cannot be imported, with the path of the field at fault', () => {
    const post = () => request(app).post('/api/v1/contacts/import').set('Authorization', `Bearer ${apiKey}`);
    const csv = Buffer.from('email,Company\nann@example.com,Acme\n');
    const issues = (response: request.Response) => (response.body as { error: { issues: unknown[] } }).error.issues;

    it('refuses a body that is no multipart form', async () => {
      const response = await post().send({ file: 'email\nann@example.com' }).expect(400);
      expect(issues(response)).toEqual([{ path: '', message: expect.stringContaining('multipart/form-data') }]);
    });

    it('refuses a multipart body without a boundary, or cut short', async () => {
      for (const [type, body] of [
        ['multipart/form-data', 'email\nann@example.com\n'],
        [
          'multipart/form-data; boundary=x',
          '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nemail\n',
        ],
      ])
        expect(issues(await post().set('Content-Type', type!).send(body).expect(400))).toEqual([
          { path: expect.any(String), message: expect.any(String) },
        ]);
    });

    it('refuses a form without the file', async () => {
      const response = await post().field('tags', 'vip').expect(400);
      expect(issues(response)).toEqual([{ path: 'file', message: expect.any(String) }]);
    });

    it.each([
      ['a mapping that is not JSON', '{Company: custom}', 'mapping'],
      ['a mapping that is no object of strings', '["email"]', 'mapping'],
      ['a mapping to an unknown field', '{"Company": "company"}', 'mapping.Company'],
      ['a mapping of a column the file lacks', '{"Nope": "firstName"}', 'mapping.Nope'],
      ['a mapping that leaves no email', '{"email": null}', 'mapping'],
    ])('refuses %s', async (_what, mapping, path) => {
      const response = await post().field('mapping', mapping).attach('file', csv, 'contacts.csv').expect(400);
      expect(issues(response)).toEqual([{ path, message: expect.any(String) }]);
    });

    it('refuses a bad tag at its index, and text PostgreSQL cannot store', async () => {
      expect(
        issues(
          await post()
            .field('tags', `ok, ${'t'.repeat(101)}`)
            .attach('file', csv, 'a.csv')
            .expect(400),
        ),
      ).toEqual([{ path: 'tags[1]', message: expect.any(String) }]);
      expect(issues(await post().field('tags', 'a\u0000b').attach('file', csv, 'a.csv').expect(400))).toEqual([
        { path: 'tags', message: expect.any(String) },
      ]);
      const nulKey = await post()
        .field('mapping', JSON.stringify({ 'Comp\u0000any': 'email' }))
        .attach('file', csv, 'a.csv')
        .expect(400);
      expect(issues(nulKey)).toEqual([{ path: 'mapping.Comp\u0000any', message: expect.any(String) }]);
    });

    it('refuses a malformed or empty file, and a header naming a column twice', async () => {
      for (const body of ['', 'email,email\na@example.com,b@example.com\n', 'email\n"unclosed\n'])
        expect(issues(await post().attach('file', Buffer.from(body), 'a.csv').expect(400))).toEqual([
          { path: 'file', message: expect.any(String) },
        ]);
    });

    it('leaves nothing behind when it refuses an upload', async () => {
      const rows: { count: string }[] = await env.container.db.query(
        `SELECT count(*) FROM contact_imports WHERE status IN ('staging', 'staged')`,
      );
      expect(Number(rows[0]!.count)).toBe(0);
    });
  });

  describe('its own body limit', () => {
    it('answers 413 at once to a body declared larger than 100 MB', async () => {
      const { port } = (await new Promise<AddressInfo>((resolve) => {
        const server = app.listen(0, '127.0.0.1', () => resolve(server.address() as AddressInfo));
        afterAllClose.push(() => new Promise((done) => server.close(() => done(undefined))));
      })) as AddressInfo;
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/v1/contacts/import',
            headers: {
              Authorization: `Bearer ${apiKey}`,
              'Content-Type': 'multipart/form-data; boundary=x',
              'Content-Length': String(150 * 1024 * 1024),
            },
          },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.write('--x\r\n'); // the server answers without waiting for the rest
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({
        error: { code: 'payload_too_large', message: expect.stringContaining('100 MB') },
      });
    });

    it('answers 413 when a streamed file grows past the limit, and stages nothing', async () => {
      const small = express();
      small.use('/api/v1', contactImportUploadRoutes(env.container, { maxBytes: 64 * 1024 }));
      small.use(errorHandler(env.container.logger));
      const big = Buffer.from(
        `email\n${Array.from({ length: 5000 }, (_, i) => `someone${i}@example.com`).join('\n')}\n`,
      );
      const response = await request(small)
        .post('/api/v1/contacts/import')
        .set('Authorization', `Bearer ${apiKey}`)
        .attach('file', big, 'big.csv')
        .expect(413);
      expect(response.body.error.code).toBe('payload_too_large');
      const rows: { count: string }[] = await env.container.db.query(
        `SELECT count(*) FROM contact_imports WHERE status IN ('staging', 'staged')`,
      );
      expect(Number(rows[0]!.count)).toBe(0);
    });

    it('forgets an upload the client abandons halfway', async () => {
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      afterAllClose.push(() => new Promise((done) => server.close(() => done(undefined))));
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      const part = `--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nemail\n${'half@example.com\n'.repeat(3000)}`;
      socket.write(
        `POST /api/v1/contacts/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${apiKey}\r\n` +
          `Content-Type: multipart/form-data; boundary=x\r\nContent-Length: ${part.length * 2}\r\n\r\n${part}`,
      );
      await waitFor(
        async () =>
          Number(
            (
              (await env.container.db.query(`SELECT count(*) FROM contact_imports WHERE status = 'staging'`)) as {
                count: string;
              }[]
            )[0]!.count,
          ) === 1,
        { what: 'the upload staging' },
      );
      socket.destroy();
      await waitFor(
        async () =>
          Number(
            (
              (await env.container.db.query(`SELECT count(*) FROM contact_imports WHERE status = 'staging'`)) as {
                count: string;
              }[]
            )[0]!.count,
          ) === 0,
        { what: 'the abandoned upload deleted' },
      );
    });

    const afterAllClose: (() => Promise<unknown>)[] = [];
    afterAll(async () => Promise.all(afterAllClose.map((close) => close())));
  });

  it('keeps failed rows 30 days after an import ends, and forgets uploads never finished or confirmed after a day', async () => {
    const old = await uploadCsv(app, apiKey, 'email\nbroken\n').expect(202);
    expect(await importFinished(app, apiKey, old.body.id)).toMatchObject({ failed: 1 });
    const abandoned = await env.container.db.query(
      `INSERT INTO contact_imports (account_id, kind, status, created_at) VALUES ($1, 'csv', 'staged', now() - interval '2 days')
       RETURNING id`,
      [accountId],
    );
    await env.container.db.query(
      `UPDATE contact_imports SET created_at = now() - interval '31 days', finished_at = now() - interval '31 days'
        WHERE id = $1`,
      [old.body.id],
    );
    const report = () =>
      request(app).get(`/api/v1/imports/${old.body.id}/errors`).set('Authorization', `Bearer ${apiKey}`);
    expect((await report().expect(200)).text).toContain('broken');

    await uploadCsv(app, apiKey, 'email\nnext@example.com\n').expect(202); // any new import sweeps the account
    expect((await report().expect(410)).body.error.code).toBe('gone');
    const left: { count: string }[] = await env.container.db.query(
      'SELECT count(*) FROM contact_import_rows WHERE import_id = $1',
      [old.body.id],
    );
    expect(Number(left[0]!.count)).toBe(0);
    const gone: unknown[] = await env.container.db.query('SELECT id FROM contact_imports WHERE id = $1', [
      (abandoned as { id: string }[])[0]!.id,
    ]);
    expect(gone).toEqual([]);
  });

  it("answers 404 for an unknown import, another account's, and an id that is no uuid", async () => {
    const accepted = await uploadCsv(app, apiKey, 'email\nmine@example.com\n').expect(202);
    const other = await createTestAccount(env.container);
    for (const [key, id] of [
      [other.apiKey, accepted.body.id as string],
      [apiKey, '00000000-0000-4000-8000-000000000000'],
      [apiKey, 'not-a-uuid'],
    ] as const) {
      await request(app).get(`/api/v1/imports/${id}`).set('Authorization', `Bearer ${key}`).expect(404);
      await request(app).get(`/api/v1/imports/${id}/errors`).set('Authorization', `Bearer ${key}`).expect(404);
    }
    await request(app).get(`/api/v1/imports/${accepted.body.id}`).expect(401);
  });
});
