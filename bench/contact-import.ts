/**
 * Contact import benchmark: a generated CSV of 100,000 rows (new contacts, a tag each, a custom
 * field) streamed to `POST /api/v1/contacts/import` over real HTTP, imported by the in-process
 * workers; timed from the first byte sent to `completed`, with the process's peak RSS (API, staging,
 * workers and the events the tag fires, all in one process).
 *
 * From bench/run.ts: `await benchContactImport(env)` with a TestEnv. On its own:
 * `npx tsx bench/contact-import.ts [rows]`.
 */
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createApp } from '../src/roles/http-app';
import { startWorkers } from '../src/roles/worker';
import { createTestAccount, createTestEnv, type TestEnv } from '../test/helpers/test-env';

export interface ContactImportBenchOptions {
  /** Data rows in the file. Default 100,000. */
  rows?: number;
}

export interface ContactImportBenchResult {
  rows: number;
  /** From the first byte sent to the 202: the upload streamed into staging. */
  stagingSeconds: number;
  /** From the first byte sent to `completed`. */
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
}

const BOUNDARY = 'linkflow-bench-boundary';

/** The multipart body, generated as it is sent: the benchmark holds no more of the file than the server does. */
function* multipartBody(rows: number): Generator<string> {
  yield `--${BOUNDARY}\r\nContent-Disposition: form-data; name="tags"\r\n\r\nbench-import\r\n`;
  yield `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="contacts.csv"\r\n`;
  yield 'Content-Type: text/csv\r\n\r\nemail,first_name,last_name,phone,Company\r\n';
  for (let start = 0; start < rows; start += 1000) {
    let chunk = '';
    for (let i = start; i < Math.min(rows, start + 1000); i++)
      chunk += `person${i}@example.com,First${i},Last${i},+1415555${String(i % 10_000).padStart(4, '0')},Company ${i % 97}\r\n`;
    yield chunk;
  }
  yield `\r\n--${BOUNDARY}--\r\n`;
}

function upload(url: string, apiKey: string, rows: number): Promise<{ id: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/api/v1/contacts/import`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${apiKey}`,
          'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
        },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () =>
          res.statusCode === 202 ? resolve(JSON.parse(body) as { id: string }) : reject(new Error(body)),
        );
      },
    );
    req.on('error', reject);
    pipeline(Readable.from(multipartBody(rows)), req).catch(reject);
  });
}

async function statusOf(env: TestEnv, importId: string): Promise<{ status: string; processed: number }> {
  const rows: { status: string; processed: number }[] = await env.container.db.query(
    'SELECT status, processed FROM contact_imports WHERE id = $1',
    [importId],
  );
  return rows[0]!;
}

export async function benchContactImport(
  env: TestEnv,
  options: ContactImportBenchOptions = {},
): Promise<ContactImportBenchResult> {
  const rows = options.rows ?? 100_000;
  const { apiKey } = await createTestAccount(env.container);
  const server: Server = createApp(env.container).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const workers = startWorkers(env.container);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const started = Date.now();
    const { id } = await upload(url, apiKey, rows);
    const stagingSeconds = (Date.now() - started) / 1000;
    for (;;) {
      const current = await statusOf(env, id);
      if (current.status === 'completed' || current.status === 'failed') {
        if (current.status === 'failed' || current.processed !== rows) throw new Error(`import ${current.status}`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (Date.now() - started) / 1000;
    return {
      rows,
      stagingSeconds: Math.round(stagingSeconds * 10) / 10,
      seconds: Math.round(seconds * 10) / 10,
      rowsPerSecond: Math.round(rows / seconds),
      peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024),
    };
  } finally {
    clearInterval(sampler);
    await workers.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

if (require.main === module) {
  void (async () => {
    const env = await createTestEnv();
    try {
      console.log(await benchContactImport(env, { rows: Number(process.argv[2] ?? 100_000) }));
    } finally {
      await env.cleanup();
    }
  })();
}
