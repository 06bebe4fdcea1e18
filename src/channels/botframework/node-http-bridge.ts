import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'botbuilder';

/** Thrown when a request body is too large or not JSON; `status` is what to answer. */
export class BodyError extends Error {
  override name = 'BodyError';
  constructor(readonly status: 400 | 413, message: string) {
    super(message);
  }
}

/** Reads and parses a JSON body, refusing more than `limit` bytes before buffering them. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyError(413, `request body over ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyError(413, `request body over ${limit} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new BodyError(400, 'request body is not JSON');
  }
}

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
