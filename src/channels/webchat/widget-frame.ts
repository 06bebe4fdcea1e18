import { ENGLISH_ONLY, findLanguage, inlineJson, widgetStrings } from './widget-words.js';
import type { WidgetLanguage, WidgetTranslate } from './widget-words.js';

/**
 * The light widget's chat, the page inside the iframe that /widget.js puts on the NGO's page.
 * Plain DOM and plain ES2017 (old Android WebViews), no framework: the whole page is a few KB.
 *
 * Safety rules it keeps (issue "Safe by construction"): every text, the visitor's and the bot's,
 * is set with textContent, never parsed as HTML or Markdown; the only links are the bot's own
 * card actions (`tel:` numbers and https links from our content); the frame's CSP allows no
 * image, font or frame at all, so a pasted ad cannot make the browser load anything.
 */
const SCRIPT = String.raw`(function () {
  'use strict';
  var C = __LANTERN_FRAME__;
  var KEY_PREFIX = 'lantern.';
  var LANG_KEY = KEY_PREFIX + 'lang';
  var BASE = '/v3/directline';
  var doc = document;
  function $(id) { return doc.getElementById(id); }
  var log = $('log'), actions = $('actions'), form = $('form'), input = $('input'), sendButton = $('send');
  var picker = $('lang'), exitButton = $('exit'), closeButton = $('close'), title = $('title'), status = $('status');
  var embedded = window.parent !== window && !!C.host;
  var state = { id: null, token: null, watermark: '', socket: null, timer: 0, pending: [], sent: {}, seen: {}, seq: 0, lang: C.lang, ended: false, failed: false };

  function find(code) {
    var lower = String(code || '').toLowerCase();
    var i;
    for (i = 0; i < C.languages.length; i++) if (C.languages[i][0].toLowerCase() === lower) return C.languages[i];
    for (i = 0; i < C.languages.length; i++) if (C.languages[i][0].toLowerCase().split('-')[0] === lower.split('-')[0]) return C.languages[i];
    return null;
  }
  function words(code) {
    var own = C.strings[code] || {};
    var out = {};
    for (var k in C.strings.en) out[k] = own[k] || C.strings.en[k];
    return out;
  }
  function area(name) { try { return window[name]; } catch (e) { return null; } }
  function remembered() { try { return area('sessionStorage').getItem(LANG_KEY); } catch (e) { return null; } }
  function remember(code) { try { area('sessionStorage').setItem(LANG_KEY, code); } catch (e) { /* storage blocked */ } }
  // Only keys under lantern. are ours: nothing else in this origin's storage is touched.
  function wipe() {
    ['localStorage', 'sessionStorage'].forEach(function (name) {
      try {
        var store = area(name);
        var keys = [];
        for (var i = 0; i < store.length; i++) if (store.key(i).indexOf(KEY_PREFIX) === 0) keys.push(store.key(i));
        keys.forEach(function (k) { store.removeItem(k); });
      } catch (e) { /* storage blocked */ }
    });
  }

  function showLanguage(code) {
    var l = find(code) || C.languages[0];
    var w = words(l[0]);
    state.lang = l[0];
    doc.documentElement.lang = l[0];
    doc.documentElement.dir = l[2];
    picker.value = l[0];
    picker.setAttribute('aria-label', w.language);
    title.textContent = C.title || w.title;
    doc.title = title.textContent;
    exitButton.textContent = w.quick_exit;
    exitButton.title = w.quick_exit_hint;
    closeButton.setAttribute('aria-label', w.close);
    input.placeholder = w.message;
    input.setAttribute('aria-label', w.message);
    sendButton.textContent = w.send;
    if (status) status.textContent = state.failed ? w.unavailable : w.loading;
  }

  function el(tag, cls, text) {
    var node = doc.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }
  // Phone numbers and other digit runs keep their order in right-to-left text.
  var DIGITS = /[+(]?\d[\d\s().\-\/]{3,}\d/g;
  function addText(node, text) {
    var last = 0;
    var match;
    DIGITS.lastIndex = 0;
    while ((match = DIGITS.exec(text))) {
      if (match.index > last) node.appendChild(doc.createTextNode(text.slice(last, match.index)));
      var run = el('bdi', 'ltr', match[0]);
      run.dir = 'ltr';
      node.appendChild(run);
      last = match.index + match[0].length;
    }
    if (last < text.length) node.appendChild(doc.createTextNode(text.slice(last)));
  }
  function scroll() { log.scrollTop = log.scrollHeight; }
  function bubble(who, text) {
    var node = el('div', 'msg ' + who);
    // Each message by its own first letters: an Arabic answer reads right to left, a hotline's
    // name in English left to right; the page's direction (from the reply's language) places them.
    node.dir = 'auto';
    if (text) addText(node, text);
    log.appendChild(node);
    return node;
  }
  function loaded() {
    if (status && status.parentNode) status.parentNode.removeChild(status);
    status = null;
  }
  function fail() {
    state.failed = true;
    if (!status) { status = el('p', 'status'); log.appendChild(status); }
    status.textContent = words(state.lang).unavailable;
  }

  // Only tel: numbers and https links, and only from the bot's own card actions.
  function linkOf(action) {
    var value = String(action.value || '');
    if (/^tel:/i.test(value)) {
      var number = value.slice(4).replace(/[^\d+*#]/g, '');
      if (!/^\+?[\d*#]{2,20}$/.test(number)) return null;
      var call = el('a', 'call', action.title || number);
      call.href = 'tel:' + number;
      call.dir = 'ltr';
      return call;
    }
    if (/^https:\/\/[^\s]+$/i.test(value)) {
      var link = el('a', 'link', action.title || value);
      link.href = value;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      return link;
    }
    return null;
  }
  function buttonOf(action, fromCard) {
    if (!action || typeof action !== 'object') return null;
    if (action.type === 'openUrl') return linkOf(action);
    if (action.type !== 'messageBack' && action.type !== 'imBack' && action.type !== 'postBack') return null;
    var button = el('button', 'choice', String(action.title || action.displayText || action.text || action.value || ''));
    button.type = 'button';
    button.addEventListener('click', function () {
      if (!fromCard) actions.textContent = '';
      if (action.type === 'messageBack') post({ type: 'message', text: action.text, value: action.value }, action.displayText || action.title);
      else post({ type: 'message', text: String(action.value) }, action.type === 'imBack' ? String(action.value) : '');
    });
    return button;
  }
  function addButtons(container, list, fromCard) {
    (list || []).forEach(function (action) {
      var node = buttonOf(action, fromCard);
      if (node) container.appendChild(node);
    });
  }

  function show(activity) {
    if (!activity || typeof activity !== 'object') return;
    if (activity.id) {
      if (state.seen[activity.id]) return;
      state.seen[activity.id] = true;
    }
    if (activity.type === 'event' && activity.name === 'lantern/forget') return wipe();
    if (activity.type !== 'message') return;
    var from = activity.from || {};
    var text = typeof activity.text === 'string' ? activity.text : '';
    if (from.role === 'user') {
      var id = activity.channelData && activity.channelData.clientActivityID;
      if (!(id && state.sent[id]) && text) bubble('user', text);
      return;
    }
    loaded();
    // The reply says which language the conversation is in now: words and direction follow it.
    var language = find(activity.locale);
    if (language && language[0] !== state.lang) showLanguage(language[0]);
    actions.textContent = '';
    var node = text ? bubble('bot', text) : null;
    (activity.attachments || []).forEach(function (attachment) {
      if (!attachment || attachment.contentType !== 'application/vnd.microsoft.card.hero' || !attachment.content) return;
      var card = node || bubble('bot', '');
      node = card;
      if (attachment.content.text) {
        if (card.firstChild) card.appendChild(el('br'));
        addText(card, String(attachment.content.text));
      }
      var row = el('div', 'buttons');
      addButtons(row, attachment.content.buttons, true);
      if (row.firstChild) card.appendChild(row);
    });
    if (activity.suggestedActions) addButtons(actions, activity.suggestedActions.actions, false);
    scroll();
  }
  function receive(batch) {
    if (!batch || state.ended) return;
    if (batch.watermark !== undefined && batch.watermark !== null) state.watermark = String(batch.watermark);
    (batch.activities || []).forEach(show);
  }

  function request(method, path, body) {
    var headers = { 'content-type': 'application/json' };
    if (state.token) headers.authorization = 'Bearer ' + state.token;
    return fetch(BASE + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, cache: 'no-store', credentials: 'omit' }).then(function (res) {
      if (!res.ok) throw new Error(String(res.status));
      return res.status === 204 ? null : res.json();
    });
  }
  function path() { return '/conversations/' + encodeURIComponent(state.id); }

  // Polling by watermark when the socket is not there (refused, closed, or no WebSocket at all).
  function poll(delay) {
    clearTimeout(state.timer);
    if (state.ended || state.socket) return;
    state.timer = setTimeout(function () {
      request('GET', path() + '/activities?watermark=' + encodeURIComponent(state.watermark)).then(function (batch) {
        receive(batch);
        poll(batch && batch.activities && batch.activities.length ? 500 : 2000);
      }, function () { poll(5000); });
    }, delay);
  }
  function stream(url) {
    var socket;
    try { socket = new WebSocket(url); } catch (e) { return poll(0); }
    state.socket = socket;
    socket.onmessage = function (event) {
      if (!event.data) return;
      try { receive(JSON.parse(event.data)); } catch (e) { /* not ours */ }
    };
    socket.onclose = function () {
      state.socket = null;
      poll(0);
    };
  }

  function start() {
    request('POST', '/conversations', { locale: state.lang, country: C.country || undefined }).then(function (answer) {
      state.id = answer.conversationId;
      state.token = answer.token;
      if (answer.streamUrl && window.WebSocket) stream(answer.streamUrl);
      else poll(0);
      // The token lives 30 minutes; a visitor may read for longer.
      setInterval(function () {
        request('POST', '/tokens/refresh').then(function (t) { state.token = t.token; }, function () { /* the next post says */ });
      }, 15 * 60 * 1000);
      var queued = state.pending;
      state.pending = [];
      queued.forEach(send);
    }, fail);
  }
  function send(activity) {
    if (!state.id) return state.pending.push(activity);
    request('POST', path() + '/activities', activity).then(function () { if (!state.socket) poll(300); }, fail);
  }
  function post(activity, shown) {
    if (state.ended) return;
    var id = 'c' + ++state.seq + Math.random().toString(36).slice(2, 8);
    state.sent[id] = true;
    activity.locale = state.lang;
    activity.channelData = { clientActivityID: id };
    if (shown) {
      bubble('user', shown);
      scroll();
    }
    send(activity);
  }

  function quickExit() {
    if (state.ended) return;
    state.ended = true;
    clearTimeout(state.timer);
    if (state.id && state.token) {
      try {
        // keepalive lets the request finish after the page is gone.
        fetch(BASE + path(), { method: 'DELETE', headers: { authorization: 'Bearer ' + state.token }, keepalive: true, credentials: 'omit' }).catch(function () { /* expires anyway */ });
      } catch (e) { /* old browser: the conversation expires */ }
    }
    try { if (state.socket) state.socket.close(); } catch (e) { /* closed */ }
    wipe();
    log.textContent = '';
    actions.textContent = '';
    if (embedded) {
      // The page that embeds us navigates itself (its loader checks that this frame sent it).
      window.parent.postMessage({ lantern: 'exit' }, C.host);
      setTimeout(function () { try { window.top.location.replace(C.exitUrl); } catch (e) { /* the loader did it */ } }, 1500);
    } else {
      location.replace(C.exitUrl);
    }
  }

  exitButton.addEventListener('click', quickExit);
  doc.addEventListener('keydown', function (event) { if (event.key === 'Escape' || event.key === 'Esc') quickExit(); });
  window.addEventListener('message', function (event) {
    if (embedded && event.source === window.parent && event.origin === C.host && event.data && event.data.lantern === 'exit') quickExit();
  });
  if (embedded) closeButton.addEventListener('click', function () { window.parent.postMessage({ lantern: 'close' }, C.host); });
  else closeButton.hidden = true;
  picker.addEventListener('change', function () {
    showLanguage(picker.value);
    remember(state.lang);
    // Browsers that block storage in third-party frames: the loader keeps it on the host page.
    if (embedded) window.parent.postMessage({ lantern: 'language', value: state.lang }, C.host);
    // The conversation takes the language for the next turns; its answer comes in it.
    post({ type: 'event', name: 'setLanguage', value: state.lang }, '');
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.replace(/^\s+|\s+$/g, '');
    if (!text) return;
    input.value = '';
    post({ type: 'message', text: text }, text);
  });

  if (C.color) doc.documentElement.style.setProperty('--accent', C.color);
  if (C.exitColor) doc.documentElement.style.setProperty('--exit', C.exitColor);
  var picked = find(remembered());
  if (picked) showLanguage(picked[0]);
  start();
})();
`;

const STYLE = [
  ':root{--accent:#1f4e79;--exit:#b00020;color-scheme:light}',
  '*{box-sizing:border-box}',
  'html,body{height:100%;margin:0}',
  'body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d2733;background:#fff}',
  '.app{display:flex;flex-direction:column;height:100%}',
  '.head{display:flex;gap:6px;align-items:center;padding:6px 8px;background:var(--accent);color:#fff}',
  '.title{flex:1;min-width:0;margin:0;font-size:16px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}',
  '.head select,.head button{font:inherit;font-size:15px;min-height:44px;border-radius:6px;border:0;padding:6px 8px}',
  '.head select{max-width:7.5em;min-width:0}',
  '.exit{background:var(--exit);color:#fff;font-weight:700;cursor:pointer}',
  '.close{background:transparent;color:#fff;min-width:44px;cursor:pointer}',
  '.log{flex:1;min-height:0;overflow-y:auto;padding:10px;display:flex;flex-direction:column;gap:8px;background:#f4f6f8}',
  '.status{color:#5b6775;margin:4px 0}',
  '.msg{max-width:88%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #dde3ea;align-self:flex-start}',
  '.msg.user{align-self:flex-end;background:var(--accent);color:#fff;border-color:transparent}',
  '.buttons,.actions{display:flex;flex-wrap:wrap;gap:6px}',
  '.buttons{margin-top:8px}',
  '.actions{padding:6px 10px 0}',
  '.actions:empty{display:none}',
  '.choice,.call,.link{display:inline-flex;align-items:center;min-height:44px;padding:8px 14px;border-radius:22px;font:inherit;text-decoration:none;cursor:pointer;border:2px solid var(--accent);background:#fff;color:var(--accent)}',
  '.call{background:var(--accent);color:#fff;font-weight:700}',
  '.choice:focus-visible,.call:focus-visible,.link:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible{outline:3px solid #ffbf47;outline-offset:1px}',
  'bdi.ltr{unicode-bidi:isolate}',
  '.form{display:flex;gap:6px;padding:8px 10px;border-top:1px solid #dde3ea}',
  '.form input{flex:1;min-width:0;min-height:44px;font:inherit;padding:8px 10px;border:1px solid #9aa5b1;border-radius:8px}',
  '.form button{min-height:44px;min-width:44px;font:inherit;font-weight:600;border:0;border-radius:8px;padding:8px 14px;background:var(--accent);color:#fff;cursor:pointer}',
  '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
].join('');

/** What the loader asked for in the frame's address, each checked (anything else is ignored). */
export interface FrameRequest {
  language: WidgetLanguage;
  country?: string;
  title?: string;
  color?: string;
  exitColor?: string;
  /** The embedding page's origin: the only one the frame talks to with postMessage. */
  host?: string;
  exitUrl: string;
}

const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

function originOf(value: string | null): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** An http(s) address or a path on this server; anything else (javascript:, data:...) is refused. */
export function safeExitUrl(value: string | null | undefined): string | undefined {
  if (!value || value.length > 2000) return undefined;
  if (/^\/(?![/\\])/.test(value)) return value;
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the frame's query string (`lang`, `country`, `title`, `color`, `exit-color`, `host`, `exit`). */
export function parseFrameRequest(query: URLSearchParams, languages: readonly WidgetLanguage[], defaultExitUrl: string): FrameRequest {
  const list = languages.length > 0 ? languages : ENGLISH_ONLY;
  const language = findLanguage(list, query.get('lang') ?? undefined) ?? findLanguage(list, 'en') ?? list[0]!;
  const country = query.get('country');
  const title = query.get('title')?.trim().slice(0, 80);
  const color = query.get('color');
  const exitColor = query.get('exit-color');
  const host = originOf(query.get('host'));
  return {
    language,
    ...(country && /^[A-Za-z]{2}$/.test(country) ? { country: country.toUpperCase() } : {}),
    ...(title ? { title } : {}),
    ...(color && COLOR.test(color) ? { color } : {}),
    ...(exitColor && COLOR.test(exitColor) ? { exitColor } : {}),
    ...(host ? { host } : {}),
    exitUrl: safeExitUrl(query.get('exit')) ?? defaultExitUrl,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The frame page: markup, style and script in one response (one round trip on a slow network). */
export function renderFramePage(
  request: FrameRequest,
  options: { nonce: string; translate?: WidgetTranslate; languages: readonly WidgetLanguage[]; title?: string },
): string {
  const languages = options.languages.length > 0 ? options.languages : ENGLISH_ONLY;
  const strings = widgetStrings(options.translate, languages);
  const [code, , direction] = request.language;
  const words = { ...strings.en, ...strings[code] } as Record<string, string>;
  const title = request.title ?? options.title ?? words.title!;
  const config = {
    lang: code,
    languages,
    strings,
    title: request.title ?? options.title ?? '',
    country: request.country ?? '',
    color: request.color ?? '',
    exitColor: request.exitColor ?? '',
    host: request.host ?? '',
    exitUrl: request.exitUrl,
  };
  const e = escapeHtml;
  const choices = languages
    .map(([value, name]) => `<option value="${e(value)}" lang="${e(value)}"${value === code ? ' selected' : ''}>${e(name)}</option>`)
    .join('');
  const nonce = e(options.nonce);
  return `<!doctype html>
<html lang="${e(code)}" dir="${direction}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e(title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head><body><div class="app">
<header class="head"><h1 class="title" id="title">${e(title)}</h1><select id="lang" aria-label="${e(words.language!)}">${choices}</select><button type="button" class="exit" id="exit" title="${e(words.quick_exit_hint!)}">${e(words.quick_exit!)}</button><button type="button" class="close" id="close" aria-label="${e(words.close!)}">\u2715</button></header>
<div class="log" id="log" role="log" aria-live="polite" aria-relevant="additions" tabindex="0"><p class="status" id="status">${e(words.loading!)}</p></div>
<div class="actions" id="actions"></div>
<form class="form" id="form"><label class="sr" for="input">${e(words.message!)}</label><input id="input" dir="auto" autocomplete="off" maxlength="4000" placeholder="${e(words.message!)}"><button type="submit" id="send">${e(words.send!)}</button></form>
</div>
<script nonce="${nonce}">${SCRIPT.replace('__LANTERN_FRAME__', () => inlineJson(config))}</script>
</body></html>
`;
}

/**
 * The frame's Content-Security-Policy: its own inline script and style by nonce, connections to
 * this server only (HTTP and the stream socket), no images, fonts, frames or forms at all, and
 * embedding only by the allowed sites.
 */
export function framePolicy(nonce: string, options: { allowedOrigins: readonly string[] | '*'; wsOrigins: readonly string[] }): string {
  const ancestors = options.allowedOrigins === '*' || options.allowedOrigins.includes('*') ? '*' : ["'self'", ...options.allowedOrigins].join(' ');
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    ["connect-src 'self'", ...options.wsOrigins].join(' '),
    "img-src 'none'",
    `frame-ancestors ${ancestors}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The raw script text, for the ES2017 check in the tests. */
export const FRAME_SCRIPT_SOURCE = SCRIPT;
