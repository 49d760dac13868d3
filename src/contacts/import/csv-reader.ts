import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, type Parser } from 'csv-parse';

/** A record longer than this fails the whole file: it is a broken quote, not a contact. */
export const MAX_RECORD_BYTES = 1024 * 1024;
/** How much of the file the delimiter is guessed from (its first line, at most this much). */
const HEAD_BYTES = 64 * 1024;
const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * The delimiter of a CSV file from its first line: the one of `,` `;` tab `|` that occurs most
 * often outside quotes (spreadsheets in many locales export `;`). Comma when none does.
 */
export function detectDelimiter(head: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of head) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const delimiter of DELIMITERS) if ((counts.get(delimiter) ?? 0) > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}

/**
 * Records (arrays of cells) of a CSV stream, read as it arrives: the caller's pace holds the stream
 * back (csv-parse buffers up to its high-water mark), so a file of any length costs what one batch
 * does. UTF-8 with or without a byte-order mark; rows may have more or fewer cells than the header;
 * rows whose cells are all empty are skipped. A malformed file throws csv-parse's CsvError, an error
 * of the source (the upload stopped, or grew past its limit) is thrown as it is.
 */
export async function readCsvRecords(source: Readable): Promise<AsyncIterable<string[]>> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    size += next.value.length;
    if (next.value.includes(0x0a)) break;
  }
  const first = Buffer.concat(head);
  const parser: Parser = parse({
    delimiter: detectDelimiter(first.toString('utf8').replace(/^\uFEFF/, '')),
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  async function* chunks(): AsyncGenerator<Buffer> {
    let done = ended;
    try {
      yield first;
      for (let next = done ? null : await iterator.next(); next && !next.done; next = await iterator.next())
        yield next.value;
      done = true;
    } finally {
      // The reader gave up (a bad header, a failed insert): stop the source too, not just the parser.
      if (!done) await iterator.return?.();
    }
  }
  // Errors reach the reader through the parser, which the pipeline destroys with them.
  pipeline(Readable.from(chunks()), parser).catch(() => undefined);
  return parser as AsyncIterable<string[]>;
}
