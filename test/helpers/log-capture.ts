import { Writable } from 'node:stream';

/** A stream for a logger's destination that keeps every line written to it. */
export function captureLines(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  return {
    lines,
    stream: new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) }),
  };
}
