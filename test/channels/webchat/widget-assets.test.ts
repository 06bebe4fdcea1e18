/**
 * What the light widget ships, checked without a browser: the bytes a page loads for it (gzipped,
 * as served), an ES2017 floor for old Android WebViews, and the frame page's own defences.
 */
import { request } from 'node:http';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_SCRIPT_SOURCE } from '../../../src/channels/webchat/widget-frame.js';
import { LOADER_SCRIPT_SOURCE } from '../../../src/channels/webchat/widget-loader.js';
import { serveWebChat } from './serve-web-chat.js';

/** The budget of issue 13: loader, frame page, its style and script, gzipped. */
const MAX_GZIP_BYTES = 30 * 1024;

/** Bytes on the wire (not decompressed) and headers of a GET with Accept-Encoding: gzip. */
function rawGet(url: string): Promise<{ status: number; bytes: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: body.length, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Syntax newer than ES2017 found in a script (TypeScript's parser, which reads every version). */
function newerThanEs2017(source: string): string[] {
  const file = ts.createSourceFile('widget.js', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: string[] = [];
  const parseErrors = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  for (const d of parseErrors) found.push(`parse error: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  const at = (node: ts.Node, what: string) => found.push(`${what} at line ${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node)) {
      if (node.questionDotToken) at(node, 'optional chaining (ES2020)');
    }
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken) at(node, '?? (ES2020)');
      if (op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.AmpersandAmpersandEqualsToken)
        at(node, 'logical assignment (ES2021)');
    }
    if (ts.isSpreadAssignment(node)) at(node, 'object spread (ES2018)');
    if (ts.isObjectBindingPattern(node) && node.elements.some((e) => e.dotDotDotToken)) at(node, 'object rest (ES2018)');
    if (ts.isCatchClause(node) && !node.variableDeclaration) at(node, 'catch without binding (ES2019)');
    if (ts.isForOfStatement(node) && node.awaitModifier) at(node, 'for await (ES2018)');
    if (ts.isBigIntLiteral(node)) at(node, 'BigInt (ES2020)');
    if (ts.isNumericLiteral(node) && node.getText().includes('_')) at(node, 'numeric separator (ES2021)');
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) if (node.members.some((m) => ts.isPropertyDeclaration(m))) at(node, 'class fields (ES2022)');
    if (ts.isRegularExpressionLiteral(node) && (/\/[a-z]*s[a-z]*$/.test(node.text) || /\(\?<[=!]?/.test(node.text)))
      at(node, 'regexp s flag, lookbehind or named group (ES2018)');
    if (ts.isMetaProperty(node) || (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)) at(node, 'modules syntax (ES2020)');
    if (
      (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) &&
      node.asteriskToken &&
      node.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)
    )
      at(node, 'async generator (ES2018)');
    ts.forEachChild(node, visit);
  };
  visit(file);
  // Library calls an ES2017 browser lacks.
  for (const api of [
    '.replaceAll(',
    '.flat(',
    '.flatMap(',
    'Object.fromEntries',
    '.at(',
    'structuredClone',
    'Promise.allSettled',
    'Promise.any',
    'globalThis',
    '.matchAll(',
    'AbortSignal.timeout',
  ]) {
    if (source.includes(api)) found.push(`${api} (newer than ES2017)`);
  }
  return found;
}

describe('the light widget as shipped', () => {
  let app: Awaited<ReturnType<typeof serveWebChat>>;
  beforeAll(async () => {
    app = await serveWebChat({});
  });
  afterAll(async () => {
    await app?.close();
  });

  it(`loader and frame page (with style and script) are at most ${MAX_GZIP_BYTES} bytes gzipped together`, async () => {
    const loader = await rawGet(`${app.url}/widget.js`);
    const frame = await rawGet(`${app.url}/widget/frame?lang=ar&host=${encodeURIComponent('https://ngo.example')}`);
    for (const answer of [loader, frame]) {
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBe('gzip');
    }
    const total = loader.bytes + frame.bytes;
    console.log(`light widget: widget.js ${loader.bytes} B + frame ${frame.bytes} B = ${total} B gzipped`);
    expect(total).toBeLessThanOrEqual(MAX_GZIP_BYTES);
  });

  it('both scripts parse as ES2017 and use no newer syntax or library call (old Android WebView)', () => {
    expect(newerThanEs2017(LOADER_SCRIPT_SOURCE)).toEqual([]);
    expect(newerThanEs2017(FRAME_SCRIPT_SOURCE)).toEqual([]);
    // The checker bites: newer syntax in a copy is reported.
    expect(newerThanEs2017('var a = b?.c ?? {...d}; try {} catch {}')).toHaveLength(4);
  });

  it('the frame page has a strict CSP with a fresh nonce, shows a loading line before any script runs, and escapes what the address says', async () => {
    const hostile = encodeURIComponent('<img src=x onerror=alert(1)>');
    const answer = async () => fetch(`${app.url}/widget/frame?title=${hostile}&color=red;background:url(x)&exit=javascript:alert(1)&host=javascript:x`);
    const [first, second] = [await answer(), await answer()];
    const policy = first.headers.get('content-security-policy')!;
    expect(policy).toMatch(/script-src 'nonce-[^']+'(;|$)/);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(policy).toContain("img-src 'none'");
    expect(policy).toContain('frame-ancestors *');
    expect(policy).not.toBe(second.headers.get('content-security-policy'));
    const html = await first.text();
    // The loading line is in the markup itself, inside the live region, ahead of the script.
    expect(html.indexOf('<p class="status" id="status">Connecting…</p>')).toBeGreaterThan(0);
    expect(html.indexOf('Connecting…')).toBeLessThan(html.indexOf('<script'));
    expect(html).toContain('role="log" aria-live="polite"');
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('url(x)');
  });

  it('frame-ancestors names the allowed sites when WEBCHAT_ALLOWED_ORIGINS is set', async () => {
    const limited = await serveWebChat({ allowedOrigins: ['https://ngo.example'] });
    try {
      const policy = (await fetch(`${limited.url}/widget/frame`)).headers.get('content-security-policy');
      expect(policy).toContain("frame-ancestors 'self' https://ngo.example");
    } finally {
      await limited.close();
    }
  });
});
