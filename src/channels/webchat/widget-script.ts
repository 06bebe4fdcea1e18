import { ENGLISH_ONLY, inlineJson, widgetStrings } from './widget-words.js';
import type { WidgetLanguage, WidgetTranslate } from './widget-words.js';

/**
 * The browser side, kept dependency-free and small because it loads on every page of an NGO
 * site. Web Chat itself (4 MB) loads only when the bubble opens. Plain ES2017 without template
 * literals, so this file can hold it in one String.raw.
 */
const SOURCE = String.raw`(function () {
  'use strict';
  if (window.__lanternWidget) return;
  window.__lanternWidget = true;
  var CONFIG = __LANTERN_CONFIG__;
  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var origin = new URL(script ? script.src : '/', location.href).origin;
  var exitUrl = data.exitUrl || CONFIG.exitUrl;
  var country = /^[A-Za-z]{2}$/.test(data.country || '') ? data.country.toUpperCase() : '';
  // Only keys under this prefix are the widget's: Quick exit removes them and nothing of the host page.
  var KEY_PREFIX = 'lantern.';
  var LANG_KEY = KEY_PREFIX + 'lang';
  // The embedding page's CSP nonce, passed on to everything the widget adds (styles, Web Chat).
  var nonce = (script && script.nonce) || undefined;
  var state = { directLine: null, store: null, conversationId: null, token: null, started: false };

  function find(code) {
    var lower = String(code || '').toLowerCase();
    for (var i = 0; i < CONFIG.languages.length; i++) if (CONFIG.languages[i][0].toLowerCase() === lower) return CONFIG.languages[i];
    var base = lower.split('-')[0];
    for (var j = 0; j < CONFIG.languages.length; j++) if (CONFIG.languages[j][0].toLowerCase().split('-')[0] === base) return CONFIG.languages[j];
    return null;
  }
  function stored() { try { return sessionStorage.getItem(LANG_KEY); } catch (e) { return null; } }
  function store(value) { try { sessionStorage.setItem(LANG_KEY, value); } catch (e) { /* private mode */ } }
  var lang = (find(stored()) || find(data.lang) || find(navigator.language) || CONFIG.languages[0])[0];
  function dirOf(code) { var l = find(code); return l ? l[2] : 'ltr'; }

  var css = '.lantern-root{position:fixed;bottom:16px;right:16px;z-index:2147483000;font:15px/1.4 system-ui,sans-serif}' +
    '.lantern-bubble{border:0;border-radius:28px;padding:14px 20px;background:#1f4e79;color:#fff;font:inherit;font-weight:600;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)}' +
    '.lantern-panel{display:none;flex-direction:column;width:370px;height:560px;max-height:calc(100vh - 32px);background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 4px 24px rgba(0,0,0,.35)}' +
    '.lantern-open .lantern-panel{display:flex}.lantern-open .lantern-bubble{display:none}' +
    '.lantern-head{display:flex;gap:6px;align-items:center;padding:8px;background:#1f4e79;color:#fff}' +
    '.lantern-title{flex:1;min-width:4em;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}' +
    '.lantern-head select,.lantern-head button{font:inherit;font-size:14px;border-radius:6px;border:0;padding:6px 8px}' +
    '.lantern-head select{max-width:8.5em}' +
    '.lantern-exit{background:#b00020;color:#fff;font-weight:700;cursor:pointer}' +
    '.lantern-close{background:transparent;color:#fff;cursor:pointer}' +
    '.lantern-chat{flex:1;min-height:0}' +
    '@media (max-width:480px){.lantern-root.lantern-open{inset:0}.lantern-open .lantern-panel{width:100%;height:100%;max-height:none;border-radius:0}}';

  var root = document.createElement('div');
  root.className = 'lantern-root';
  var style = document.createElement('style');
  if (nonce) style.nonce = nonce;
  style.textContent = css;
  var bubble = el('button', 'lantern-bubble');
  bubble.type = 'button';
  var panel = el('div', 'lantern-panel');
  panel.setAttribute('role', 'dialog');
  var head = el('div', 'lantern-head');
  var title = el('span', 'lantern-title');
  var picker = el('select', 'lantern-lang');
  CONFIG.languages.forEach(function (l) { var o = el('option', '', l[1]); o.value = l[0]; o.lang = l[0]; picker.appendChild(o); });
  var exit = el('button', 'lantern-exit');
  exit.type = 'button';
  var close = el('button', 'lantern-close', '\u2715');
  close.type = 'button';
  var chat = el('div', 'lantern-chat');
  head.appendChild(title); head.appendChild(picker); head.appendChild(exit); head.appendChild(close);
  panel.appendChild(head); panel.appendChild(chat);
  root.appendChild(style); root.appendChild(bubble); root.appendChild(panel);

  function el(tag, cls, text) { var n = document.createElement(tag); if (cls) n.className = cls; if (text) n.textContent = text; return n; }

  // The server sends English in full and, for other languages, only the words that differ.
  function words(code) {
    var own = CONFIG.strings[code] || {};
    var out = {};
    for (var k in CONFIG.strings.en) out[k] = own[k] || CONFIG.strings.en[k];
    return out;
  }
  function label(code) {
    var w = words(code);
    var name = data.title || CONFIG.title || w.title;
    bubble.textContent = w.open;
    panel.setAttribute('aria-label', name);
    title.textContent = name;
    picker.setAttribute('aria-label', w.language);
    exit.textContent = w.quick_exit;
    exit.title = w.quick_exit_hint;
    close.setAttribute('aria-label', w.close);
  }

  function setLanguage(code) {
    lang = code;
    picker.value = code;
    panel.dir = dirOf(code);
    panel.lang = code;
    label(code);
    store(code);
  }

  function wipeArea(area) {
    var keys = [];
    for (var i = 0; i < area.length; i++) { var k = area.key(i); if (k && k.indexOf(KEY_PREFIX) === 0) keys.push(k); }
    keys.forEach(function (k) { area.removeItem(k); });
  }
  // The widget's own keys only: the host site's storage is not ours to clear.
  function wipeBrowser() {
    try { wipeArea(localStorage); } catch (e) { /* blocked storage */ }
    try { wipeArea(sessionStorage); } catch (e) { /* blocked storage */ }
  }

  // What people type, and everything else in the chat, is shown as plain text: no Markdown and no
  // HTML from anyone, so a pasted ad's image or link can never make this browser load anything.
  function plain(activity) {
    if (activity && activity.type === 'message' && activity.textFormat !== 'plain') {
      var copy = {};
      for (var k in activity) copy[k] = activity[k];
      copy.textFormat = 'plain';
      return copy;
    }
    return activity;
  }

  function render() {
    if (!state.directLine || !window.WebChat) return;
    window.WebChat.renderWebChat({
      directLine: state.directLine,
      store: state.store,
      locale: lang,
      dir: dirOf(lang),
      // null, not undefined: undefined gets Web Chat's Markdown renderer (which allows <img>).
      renderMarkdown: null,
      nonce: nonce,
      styleOptions: { hideUploadButton: true, suggestedActionLayout: 'flow', rootHeight: '100%', bubbleMaxWidth: 520 }
    }, chat);
  }

  function middleware() {
    return function (next) {
      return function (action) {
        if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') {
          var a = plain(action.payload.activity);
          if (a !== action.payload.activity) action = { type: action.type, payload: { activity: a } };
          if (a.type === 'event' && a.name === 'lantern/forget') wipeBrowser();
          // The dialogue may switch language itself (a language menu): follow it.
          else if (a.from && a.from.role === 'bot' && a.locale && find(a.locale) && find(a.locale)[0] !== lang) { setLanguage(find(a.locale)[0]); setTimeout(render, 0); }
        }
        return next(action);
      };
    };
  }

  function fail() { chat.textContent = words(lang).unavailable; }

  function start() {
    if (state.started) return;
    state.started = true;
    var s = document.createElement('script');
    s.src = origin + '/webchat.js';
    if (nonce) s.nonce = nonce;
    s.async = true;
    s.onerror = fail;
    s.onload = function () {
      fetch(origin + '/v3/directline/tokens/generate', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ locale: lang, country: country || undefined })
      }).then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); }).then(function (t) {
        state.conversationId = t.conversationId;
        state.token = t.token;
        state.directLine = window.WebChat.createDirectLine({ domain: origin + '/v3/directline', token: t.token, conversationStartProperties: { locale: lang } });
        state.store = window.WebChat.createStore({}, middleware);
        render();
      }).catch(fail);
    };
    document.head.appendChild(s);
  }

  function quickExit() {
    root.style.display = 'none';
    var token = (state.directLine && state.directLine.token) || state.token;
    if (state.conversationId && token) {
      try {
        // keepalive lets the request finish after the page is gone.
        fetch(origin + '/v3/directline/conversations/' + encodeURIComponent(state.conversationId), {
          method: 'DELETE', headers: { authorization: 'Bearer ' + token }, keepalive: true
        }).catch(function () { /* the server expires it anyway */ });
      } catch (e) { /* old browser */ }
    }
    try { if (state.directLine) state.directLine.end(); } catch (e) { /* already ended */ }
    wipeBrowser();
    // replace(), not assign(): Back must not return to this page.
    location.replace(exitUrl);
  }

  bubble.addEventListener('click', function () { root.classList.add('lantern-open'); start(); });
  close.addEventListener('click', function () { root.classList.remove('lantern-open'); });
  exit.addEventListener('click', quickExit);
  picker.addEventListener('change', function () {
    setLanguage(picker.value);
    render();
    // After the re-render, so the event already carries the new locale.
    setTimeout(function () { if (state.store) state.store.dispatch({ type: 'WEB_CHAT/SEND_EVENT', payload: { name: 'setLanguage', value: lang } }); }, 0);
  });

  function mount() {
    setLanguage(lang);
    document.body.appendChild(root);
    if (data.open === 'true') { root.classList.add('lantern-open'); start(); }
  }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
`;

/** The words this loader shows (the light widget has more). */
const OWN_KEYS = ['open', 'title', 'quick_exit', 'quick_exit_hint', 'language', 'close', 'unavailable'] as const;

/** Options baked into the served widget; an embedding page may override exit URL and title with data attributes. */
interface WidgetConfig {
  exitUrl: string;
  /** A fixed panel title for every language (the NGO's own name); unset: the translated `widget.title`. */
  title?: string;
  translate?: WidgetTranslate;
  /** The picker's languages, from locales/ (each locale's _meta.json). */
  languages?: readonly WidgetLanguage[];
}

/**
 * The loader of the official Web Chat (`data-client="webchat"`), with the server's defaults and
 * the widget's words inlined.
 */
export function renderWidgetScript(config: WidgetConfig): string {
  const languages = config.languages ?? ENGLISH_ONLY;
  const strings = widgetStrings(config.translate, languages, OWN_KEYS);
  const settings = { exitUrl: config.exitUrl, title: config.title ?? '', languages, strings };
  return SOURCE.replace('__LANTERN_CONFIG__', () => inlineJson(settings));
}
