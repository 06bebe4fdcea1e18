import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'botbuilder';

/** The express-like request CloudAdapter.process expects, over a parsed node:http request. */
export function toBotRequest(req: IncomingMessage, body: Record<string, unknown>): Request {
  return { body, headers: req.headers, method: req.method ?? 'GET' };
}

/** The express-like response CloudAdapter.process writes to, over a node:http response. */
export function toBotResponse(res: ServerResponse): Response {
  let pending: string | Buffer | undefined;
  const response: Response = {
    socket: res.socket,
    status(code: unknown) {
      res.statusCode = Number(code);
      return response;
    },
    header(name: unknown, value: unknown) {
      res.setHeader(String(name), String(value));
      return response;
    },
    send(body: unknown) {
      if (body === undefined || body === null) return response;
      if (res.statusCode >= 400) {
        // CloudAdapter answers a failed request with the error's own message (token details,
        // connector addresses, stack text): the caller gets the status and a word, the log has the rest.
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        pending = res.statusCode === 401 ? 'unauthorized' : res.statusCode >= 500 ? 'internal error' : 'bad request';
        return response;
      }
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        if (!res.hasHeader('content-type')) res.setHeader('content-type', 'text/plain; charset=utf-8');
        pending = body;
      } else {
        res.setHeader('content-type', 'application/json; charset=utf-8');
        pending = JSON.stringify(body);
      }
      return response;
    },
    end() {
      if (!res.writableEnded) res.end(pending);
      return response;
    },
  };
  return response;
}
