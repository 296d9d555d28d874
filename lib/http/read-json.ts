/** A request that cannot be read as JSON (not JSON, too large, a NUL byte): answered 400 or 413 with what is wrong. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

export const MAX_JSON_BYTES = 1024 * 1024;

/** The request body's bytes, read at most `maxBytes` (a stream is cut off there, whatever Content-Length said): a 413 BodyError past it. */
export async function readBodyBytes(req: Request, maxBytes: number): Promise<Buffer> {
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyError(413, `request body too large (at most ${maxBytes} bytes)`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The request body parsed as JSON, read at most `maxBytes`. */
export async function readJson(req: Request, maxBytes = MAX_JSON_BYTES): Promise<unknown> {
  const bytes = await readBodyBytes(req, maxBytes);
  if (bytes.length === 0) return {};
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new BodyError(400, "request body is not valid UTF-8");
  }
  return parseJsonText(text);
}

/** JSON text parsed, refusing a NUL anywhere (Postgres text cannot hold one, no field needs one): a 400 BodyError otherwise. */
export function parseJsonText(text: string): unknown {
  if (text.includes("\u0000") || text.includes("\\u0000")) throw new BodyError(400, "request body contains a NUL character");
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError(400, "request body is not JSON");
  }
}
