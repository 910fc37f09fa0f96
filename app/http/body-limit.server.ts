import { resolveLocale } from "~/i18n/locale";
import { t } from "~/i18n/messages";

/**
 * Request body limits, enforced on the bytes actually read (Content-Length is only a
 * hint: a chunked body has none, and a client may lie), before authentication — so an
 * unauthenticated sender can make the app hold at most one limit's worth of bytes.
 *
 * - webhook: Shopify publishes no cap for HTTPS deliveries; its EventBridge deliveries
 *   carry up to 1,000,000 bytes and fall back to a stub above that. 2 MiB leaves room
 *   for an order with hundreds of lines and is refused (413) above that; a refused
 *   order webhook is caught up by the reconcile job.
 * - form: the app's own forms (mark shipped, bulk retry of a selection, shipments from
 *   an order's lines, settings, login) are a few KB; 256 KiB is far beyond any of them.
 * (The CSV upload's cap belongs to the imports: IMPORT_LIMITS.maxUploadBodyBytes.)
 *
 * Remix hands a route the request body as a stream it has not read; nothing buffers it
 * before the route's action, so these readers are the one place a body is read.
 */
export const BODY_LIMITS = {
  webhook: 2 * 1024 * 1024,
  form: 256 * 1024,
} as const;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** "2 MiB", "256 KiB": the limit as people read it. */
export function formatLimit(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0)
    return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

/**
 * 413 with a message in the request's language. The connection is not closed on
 * purpose: closing a socket with unread bytes in it makes the kernel answer the sender
 * with a reset, which can destroy this answer before the sender reads it. The unread
 * rest stays in the paused socket until the sender gives up (or Node's request timeout).
 */
export function bodyTooLargeResponse(
  request: Request,
  limit: number,
): Response {
  const message = t(resolveLocale(request), "http.bodyTooLarge", {
    size: formatLimit(limit),
  });
  return new Response(message, {
    status: 413,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/** A declared length above the limit: refused without reading a byte. */
function declaredTooLarge(request: Request, limit: number): boolean {
  const declared = request.headers.get("Content-Length");
  return (
    declared !== null && /^\d+$/.test(declared) && Number(declared) > limit
  );
}

/**
 * The whole body, or BodyTooLargeError as soon as more than `limit` bytes have arrived.
 * Stops reading at the limit: the rest of the body is left unread (the response closes
 * the connection).
 */
export async function readBodyCapped(
  request: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (declaredTooLarge(request, limit)) throw new BodyTooLargeError(limit);
  if (!request.body) return new Uint8Array(new ArrayBuffer(0));
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) throw new BodyTooLargeError(limit);
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The same request with its body read (at most `limit` bytes) and held in memory. */
export async function bufferedRequest(
  request: Request,
  limit: number,
): Promise<Request> {
  const body = await readBodyCapped(request, limit);
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.method === "GET" || request.method === "HEAD" ? null : body,
    signal: request.signal,
  });
}

/**
 * A copy of the request whose body stream fails with BodyTooLargeError once more than
 * `limit` bytes have come through: for a streaming consumer (the multipart parser),
 * which then stops reading. `exceeded()` tells the caller why its consumer failed.
 */
export function cappedStreamRequest(
  request: Request,
  limit: number,
): { request: Request; exceeded(): boolean } {
  let over = declaredTooLarge(request, limit);
  if (over || !request.body)
    return {
      request: over
        ? new Request(request.url, {
            method: request.method,
            headers: request.headers,
          })
        : request,
      exceeded: () => over,
    };
  let total = 0;
  const body = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > limit) {
          over = true;
          controller.error(new BodyTooLargeError(limit));
        } else controller.enqueue(chunk);
      },
    }),
  );
  return {
    request: new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body,
      signal: request.signal,
      // Node's fetch needs this for a streamed body.
      duplex: "half",
    } as RequestInit),
    exceeded: () => over,
  };
}

/**
 * The route's form, read within the form limit before anything else (authentication
 * included). Throws a 413 Response past the limit and a 400 for a body that is not a
 * form.
 */
export async function readForm(
  request: Request,
  limit: number = BODY_LIMITS.form,
): Promise<FormData> {
  const buffered = await readFormRequest(request, limit);
  try {
    return await buffered.formData();
  } catch {
    throw new Response(t(resolveLocale(request), "http.notAForm"), {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

/** The request with its body read within the form limit, for code that reads the form itself (the library's login). */
export async function readFormRequest(
  request: Request,
  limit: number = BODY_LIMITS.form,
): Promise<Request> {
  try {
    return await bufferedRequest(request, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      throw bodyTooLargeResponse(request, error.limit);
    throw error;
  }
}
