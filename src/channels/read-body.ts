/** The one request-body reader every channel uses: bounded before buffering, cut off when abused. */
import type { IncomingMessage } from 'node:http';
import { ChannelError } from './channel-error.js';

/**
 * Reads a whole request body of at most `limit` bytes. A declared or actual larger body is a
 * ChannelError with status 413 (the rest is drained, and a body four times the limit is cut
 * off); a sender that hangs up mid-body is a ChannelError with status 400.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new ChannelError(`The request body is over ${limit} bytes; send a smaller one.`, { status: 413 });
  if (Number(req.headers['content-length']) > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let ended = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      // Past the limit we only drain, so that the 413 can still be answered; a body that never ends is cut off.
      else if (size > 4 * limit) req.destroy();
    });
    req.on('end', () => {
      ended = true;
      if (size > limit) reject(tooLarge());
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    // Before 'end', the sender hung up and nothing is processed. (After it, no error is built: every request closes.)
    req.on('close', () => {
      if (!ended) reject(new ChannelError('The request ended before its body was complete; send it again.', { status: 400 }));
    });
    req.on('error', (error) => reject(new ChannelError('The request body could not be read; send it again.', { status: 400, cause: error })));
  });
}

/** Reads and parses a JSON body (see readBody); an empty body is `undefined`, bad JSON a ChannelError with status 400. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(req, limit);
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw new ChannelError('The request body is not JSON; send a JSON object.', { status: 400, cause: error });
  }
}
