import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  from: string;
  to: string[];
  raw: string;
  /** Parsed with mailparser (unless the sink was started with parse: false). */
  parsed: ParsedMail | null;
  messageId: string | undefined;
  at: number;
}

/** A refusal (`451`, `550` …); undefined accepts with 250. */
export type SmtpReply = { code: number; message: string } | undefined;

export interface SmtpSink {
  url: string;
  /** Messages answered with 250, in order. */
  accepted: ReceivedEmail[];
  /** Every message whose data arrived, accepted or not. */
  received: ReceivedEmail[];
  /** Decides on each message once its data arrived (index counts received ones). Default: accept. */
  onMessage: (email: ReceivedEmail, index: number) => SmtpReply | Promise<SmtpReply>;
  /** Decides on each RCPT TO. Default: accept. */
  onRecipient: (address: string) => SmtpReply;
  /** Runs right after a message was answered with 250 (the crash tests kill the sender here). */
  onAccepted: (email: ReceivedEmail) => void;
  close(): Promise<void>;
}

const smtpError = (reply: NonNullable<SmtpReply>): Error =>
  Object.assign(new Error(reply.message), { responseCode: reply.code });

/** A real SMTP server (smtp-server) on 127.0.0.1 and a random port, without TLS or required auth. */
export async function startSmtpSink(options: { parse?: boolean } = {}): Promise<SmtpSink> {
  const parse = options.parse ?? true;
  const sink: SmtpSink = {
    url: '',
    accepted: [],
    received: [],
    onMessage: () => undefined,
    onRecipient: () => undefined,
    onAccepted: () => undefined,
    close: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const reply = sink.onRecipient(address.address);
      callback(reply ? smtpError(reply) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        void (async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const parsed = parse ? await simpleParser(raw) : null;
          const email: ReceivedEmail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
            parsed,
            messageId: parsed ? parsed.messageId : /^message-id:\s*(\S+)/im.exec(raw)?.[1],
            at: Date.now(),
          };
          sink.received.push(email);
          const reply = await sink.onMessage(email, sink.received.length - 1);
          if (reply) return callback(smtpError(reply));
          sink.accepted.push(email);
          callback();
          sink.onAccepted(email);
        })().catch((error: unknown) => callback(error as Error));
      });
    },
  });
  server.on('error', () => undefined); // a client killed mid-session is expected in crash tests
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}
