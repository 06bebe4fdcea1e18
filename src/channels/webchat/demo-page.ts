/**
 * The page at `/`: a plain, neutral NGO-style page with the widget embedded the way an NGO
 * would embed it. Nothing on it names trafficking, so a glance at the screen gives nothing away.
 * `nonce` (fresh per response) is the only way a script or style runs on it (see demoPagePolicy).
 * `/?client=webchat` shows the official Web Chat instead of the light widget.
 */
export function demoPage(nonce: string, client: 'light' | 'webchat' = 'light'): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Work &amp; Travel Info Centre</title>
<style nonce="${nonce}">
  body { margin: 0; font: 16px/1.6 system-ui, sans-serif; color: #1d2733; background: #f5f7f9; }
  header { background: #fff; border-bottom: 1px solid #dde3ea; padding: 16px 24px; }
  header b { font-size: 20px; color: #1f4e79; }
  main { max-width: 720px; margin: 32px auto; padding: 0 24px; }
  .card { background: #fff; border: 1px solid #dde3ea; border-radius: 10px; padding: 20px 24px; margin-bottom: 16px; }
  small { color: #5b6775; }
</style>
</head>
<body>
<header><b>Work &amp; Travel Info Centre</b></header>
<main>
  <div class="card">
    <h1>Planning to work in another country?</h1>
    <p>Before you accept an offer, ask our chat. It asks a few questions about the job, explains
    what to look out for, and shows who you can call in your country. It is free and anonymous.</p>
    <p>Open the chat with the button in the corner. <b>Quick exit</b> leaves this page at once
    and clears the chat from this browser.</p>
  </div>
  <div class="card">
    <h2>Opening hours</h2>
    <p>The chat is available at any time. Our advice desk is open on working days.</p>
  </div>
  <small>Demo page of the Lantern web widget. An NGO embeds it with one line:
  <code>&lt;script src="https://your-host/widget.js" defer&gt;&lt;/script&gt;</code></small>
</main>
<script nonce="${nonce}" src="/widget.js" data-open="true"${client === 'webchat' ? ' data-client="webchat"' : ''} defer></script>
</body>
</html>
`;
}

const EMPTY_STYLE_HASH = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/**
 * The demo page's Content-Security-Policy: scripts and styles only with this response's nonce
 * (and what those scripts load), images and connections only from this server, no framing.
 */
export function demoPagePolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    // The hash is that of an empty <style>: Web Chat 4.18 creates one without the nonce (for its
    // transcript scroller) and fills it through the CSSOM; a <style> with any text still needs the nonce.
    `style-src 'self' 'nonce-${nonce}' '${EMPTY_STYLE_HASH}'`,
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    // The light widget's frame comes from this server.
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}
