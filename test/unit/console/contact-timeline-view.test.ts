import { renderTimelineEntries } from '../../../src/console/contacts/contact-timeline-view';
import { decodeTimelineCursor } from '../../../src/console/contacts/contact-timeline-cursor';
import type { TimelineEntry } from '../../../src/console/contacts/contact-timeline-entry';

const email = (id: string, at: string, subject: string): TimelineEntry => ({
  kind: 'message',
  key: `5message:${id}`,
  at,
  event: 'sent',
  tone: 'good',
  title: `Email: ${subject}`,
  badge: { status: 'sent', label: 'sent' },
  lines: [[{ text: 'For ' }, { when: '2030-01-02T09:00:00.000Z' }]],
  preview: { messageId: id, channel: 'email', subject, body: null },
});

describe('a timeline entry as HTML', () => {
  const [newest, older] = renderTimelineEntries(
    [
      email('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '2030-01-01T10:00:01.000001Z', '<img src=x onerror=alert(1)>'),
      email('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', '2030-01-01T10:00:00.000000Z', 'Second'),
    ],
    { viewZone: 'Europe/Paris', loadNewestEmail: true },
  );

  it('escapes what the marketer or the contact wrote', () => {
    expect(newest!.html).not.toContain('<img src=x');
    expect(newest!.html).toContain('Email: &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  });

  it("writes its times in the page's zone and carries its place for the next poll", () => {
    expect(older!.html).toContain('<time datetime="2030-01-02T09:00:00.000Z">');
    expect(older!.html).toMatch(/10:00 CET/);
    const cursor = /data-cursor="([^"]+)"/.exec(newest!.html)![1]!;
    expect(decodeTimelineCursor(cursor, 'after')).toEqual({ at: newest!.at, key: newest!.key });
  });

  it("loads only the newest email's preview with the page, the others when opened", () => {
    expect(newest!.html).not.toContain('loading="lazy"');
    expect(older!.html).toContain('loading="lazy"');
    expect(newest!.version).not.toBe(older!.version);
  });
});
