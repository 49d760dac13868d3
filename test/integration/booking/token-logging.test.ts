import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../../src/roles/http-app';
import { createTestAccount, createTestEnv, type TestEnv } from '../../helpers/test-env';
import { bookingApi, bookPath, tokenOf } from './booking-helpers';

describe('logs of the booking pages', () => {
  let env: TestEnv;
  const lines: string[] = [];

  beforeAll(async () => {
    env = await createTestEnv({ PUBLIC_RATE_LIMIT: '12' });
    const sink = new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) });
    env.container.logger = pino({ level: 'debug' }, sink);
  });
  afterAll(async () => env.cleanup());

  it('carry link and appointment ids, never a token, whatever the outcome', async () => {
    const { apiKey } = await createTestAccount(env.container);
    const app = createApp(env.container);
    const api = bookingApi(app, apiKey);
    const calendar = await api.createCalendar({ slug: 'logged' });
    const link = await api.mintLink(calendar.id);
    const path = bookPath(link.url);
    const [first, second] = await api.slots(calendar.id);
    const booker = { name: 'Lou Logs', email: 'lou@example.com' };

    await request(app).post(path).send({ start: 'not a date' }).expect(400);
    await request(app).post(path).set('Content-Type', 'application/json').send('{"start":').expect(400);
    const booked = await request(app)
      .post(path)
      .send({ start: first!.start, ...booker })
      .expect(201);
    await request(app)
      .post(path)
      .send({ start: second!.start, ...booker })
      .expect(410);
    await request(app).get(path).expect(410);
    await request(app).get(`${path}/extra`).expect(404);
    const cancelPath = new URL(booked.body.appointment.cancelUrl).pathname;
    await request(app).post(cancelPath).send({}).expect(200);
    await request(app)
      .post(new URL(booked.body.appointment.rescheduleUrl).pathname)
      .send({ start: second!.start })
      .expect(410);
    let status = 0;
    while (status !== 429) status = (await request(app).get(path)).status;

    const secrets = [
      tokenOf(link.url),
      tokenOf(booked.body.appointment.cancelUrl),
      tokenOf(booked.body.appointment.rescheduleUrl),
    ];
    const text = lines.join('');
    expect(text).toContain(link.id);
    expect(text).toContain(booked.body.appointment.id);
    expect(text).toContain('/book/:token');
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
