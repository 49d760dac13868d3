import { createLogger, lazyChild } from '../../../src/lib/logger';
import { captureLines } from '../../helpers/log-capture';

describe('a lazy child logger', () => {
  it('makes no child for a call at a level the parent does not log, and one for all the calls it logs', () => {
    const { lines, stream } = captureLines();
    const parent = createLogger({ level: 'info', destination: stream });
    const made = jest.spyOn(parent, 'child');
    const log = lazyChild(parent, { stepId: 'hook' });

    log.debug({ type: 'webhook' }, 'step finished');
    log.trace('nothing');
    expect(made).not.toHaveBeenCalled();
    expect(lines).toHaveLength(0);

    log.info({ n: 1 }, 'first');
    log.warn({ n: 2 }, 'second');
    expect(made).toHaveBeenCalledTimes(1);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ stepId: 'hook', n: 1, msg: 'first', level: 30 }),
      expect.objectContaining({ stepId: 'hook', n: 2, msg: 'second', level: 40 }),
    ]);
  });

  it('logs as the child would, redaction and error serializers included, and makes children of its own', () => {
    const { lines, stream } = captureLines();
    const parent = createLogger({ level: 'debug', destination: stream });
    const log = lazyChild(parent, { runId: 'r1' });
    expect(log.isLevelEnabled('debug')).toBe(true);
    log.debug({ token: 'secret-token', url: '/book/abcdefghijklmnopqrstuvwx' }, 'step finished');
    log.child({ stepId: 'mail' }).error({ err: new Error('boom') }, 'failed');
    const [first, second] = lines.map((line) => JSON.parse(line));
    expect(first).toMatchObject({ runId: 'r1', token: '[redacted]', level: 20 });
    expect(first.url).not.toContain('abcdefghijklmnopqrstuvwx');
    expect(second).toMatchObject({ runId: 'r1', stepId: 'mail', err: { type: 'Error', message: 'boom' } });
  });

  it('with the bindings of a child of a child, writes the same line as that child of a child', async () => {
    const { lines, stream } = captureLines();
    const parent = createLogger({ level: 'info', destination: stream });
    const bindings = { job: 'appointment.notify', eventId: '42', appointmentId: 'a1' };
    const fields = { messageId: 'm1', status: 'skipped', reason: 'dnd' };
    parent.child(bindings).child({ kind: 'confirmation' }).info(fields, 'notification not sent');
    lazyChild(parent, { ...bindings, kind: 'confirmation' }).info(fields, 'notification not sent');
    const [nested, merged] = lines.map((line) => line.replace(/"time":\d+,/, ''));
    expect(merged).toBe(nested);
  });
});
