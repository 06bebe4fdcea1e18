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

/**
 * How deeply JSON objects and arrays may nest in a body. Activities and updates nest a few levels
 * (Teams cards perhaps twenty); thousands overflow the stack of whatever walks the value later
 * (JSON.stringify of a buffered activity), which turned one request into a 500 on every later read.
 */
export const MAX_JSON_DEPTH = 64;

/** Reads and parses a JSON body (see readBody); an empty body is `undefined`; bad or too deeply nested JSON a ChannelError with status 400. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(req, limit);
  if (body.length === 0) return undefined;
  return parseJsonBody(body);
}

/** Parses a JSON body read by readBody; bad JSON, or objects and arrays nested deeper than MAX_JSON_DEPTH, are a ChannelError with status 400. */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  // Counted before parsing, so that no deep value is ever built.
  if (nestingDepth(text) > MAX_JSON_DEPTH)
    throw new ChannelError(`The request body nests deeper than ${MAX_JSON_DEPTH} levels; send a flatter one.`, { status: 400 });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ChannelError('The request body is not JSON; send a JSON object.', { status: 400, cause: error });
  }
}

/** The deepest nesting of objects and arrays in JSON text (strings skipped), in one pass without recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}
