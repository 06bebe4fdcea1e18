/**
 * The page at `/`: a plain, neutral NGO-style page with the widget embedded the way an NGO
 * would embed it. Nothing on it names trafficking, so a glance at the screen gives nothing away.
 */
export const DEMO_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Work &amp; Travel Info Centre</title>
<style>
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
<script src="/widget.js" data-open="true" defer></script>
</body>
</html>
`;
