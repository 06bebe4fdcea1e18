/** A tiny router on node:http: each handler answers its paths and returns true, else false. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request handler that says whether it answered. */
export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

/** Tries each route in turn; 404 when none answers, 500 (logged, no details) when one throws. */
export function createRouter(routes: Route[], onError: (error: unknown) => void) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      for (const route of routes) if (await route(req, res)) return;
      send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    } catch (error) {
      onError(error);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.end();
    }
  };
}

/** Writes a whole response. */
export function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff' });
  res.end(body);
}

/** The request path without the query. */
export function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0]!;
}
