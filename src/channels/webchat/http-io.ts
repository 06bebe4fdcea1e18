import type { IncomingMessage, ServerResponse } from 'node:http';

/** Writes a JSON answer that no cache keeps (tokens and transcripts are in it). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** A Direct Line style error: `{ error: { code, message } }`. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  // After a refused upload the rest of the body is unread: close rather than drain it.
  if (status === 413) res.setHeader('connection', 'close');
  sendJson(res, status, { error: { code, message } });
}

/** Decides which origins may read Direct Line answers from a browser. */
export function createCorsPolicy(allowedOrigins: readonly string[] | '*'): {
  allows(origin: string | undefined): boolean;
  apply(req: IncomingMessage, res: ServerResponse): void;
} {
  const any = allowedOrigins === '*' || allowedOrigins.includes('*');
  const list = new Set(any ? [] : allowedOrigins.map((origin) => origin.replace(/\/+$/, '')));
  const allows = (origin: string | undefined) => any || (origin !== undefined && list.has(origin));
  return {
    allows,
    apply(req, res) {
      const origin = req.headers.origin;
      if (any) {
        // Tokens travel in headers, never cookies, so a wildcard exposes nothing extra.
        res.setHeader('access-control-allow-origin', '*');
      } else if (allows(origin)) {
        res.setHeader('access-control-allow-origin', origin!);
        res.setHeader('vary', 'Origin');
      } else {
        res.setHeader('vary', 'Origin');
        return;
      }
      res.setHeader('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
      res.setHeader('access-control-allow-headers', 'authorization, content-type, x-ms-bot-agent, x-requested-with');
      res.setHeader('access-control-max-age', '600');
    },
  };
}
