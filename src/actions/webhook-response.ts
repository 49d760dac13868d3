/** The most of a response body a webhook step keeps (and parses). */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** A response as the webhook step reads it: undici's `request` answer. */
export interface WebhookResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Buffer> & { destroy(error?: Error): unknown };
}

/** Reads at most MAX_RESPONSE_BYTES of the body, then stops the download. */
async function readCapped(response: WebhookResponse): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of response.body) {
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size >= MAX_RESPONSE_BYTES) {
      truncated = size > MAX_RESPONSE_BYTES;
      response.body.destroy();
      break;
    }
  }
  const bytes = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES);
  return { text: new TextDecoder().decode(bytes), truncated };
}

const isJson = (contentType: unknown): boolean =>
  typeof contentType === 'string' && /^application\/([\w.+-]+\+)?json\b/i.test(contentType);

/** The body as step output: parsed when the server says JSON (and all of it arrived), else text. */
export async function readResponseBody(response: WebhookResponse): Promise<unknown> {
  const { text, truncated } = await readCapped(response);
  if (!truncated && text !== '' && isJson(response.headers['content-type'])) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
