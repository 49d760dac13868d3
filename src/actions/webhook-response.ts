/** The most of a response body a webhook step keeps (and parses). */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** Reads at most MAX_RESPONSE_BYTES of the body, then stops the download. */
async function readCapped(response: Response): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_RESPONSE_BYTES) {
      truncated = size > MAX_RESPONSE_BYTES;
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  const bytes = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES);
  return { text: new TextDecoder().decode(bytes), truncated };
}

const isJson = (contentType: string | null): boolean => /^application\/([\w.+-]+\+)?json\b/i.test(contentType ?? '');

/** The body as step output: parsed when the server says JSON (and all of it arrived), else text. */
export async function readResponseBody(response: Response): Promise<unknown> {
  const { text, truncated } = await readCapped(response);
  if (!truncated && text !== '' && isJson(response.headers.get('content-type'))) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
