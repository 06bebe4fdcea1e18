import { ENGLISH_ONLY, inlineJson, widgetStrings } from './widget-words.js';
import type { WidgetLanguage, WidgetTranslate } from './widget-words.js';

/**
 * /widget.js, the one line an NGO puts on its page. It adds a chat button and, when opened, the
 * light widget's iframe (/widget/frame) from this server; it adds no <style> and no cookie, and
 * keeps nothing in the host page's storage. Options come from the script tag's data- attributes.
 *
 * Quick exit: only this script can send the host page away, so the frame asks it to (postMessage,
 * checked to come from our frame and our origin); the exit address is the script tag's own, never
 * one the frame names. `data-client="webchat"` loads the official Web Chat loader instead.
 * Plain ES2017, no template literals, so this file can hold it in one String.raw.
 */
const SOURCE = String.raw`(function () {
  'use strict';
  if (window.__lanternWidget) return;
  window.__lanternWidget = true;
  var C = __LANTERN_LOADER__;
  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var origin = new URL(script ? script.src : '/', location.href).origin;
  var nonce = (script && script.nonce) || '';

  if (data.client === 'webchat') {
    // The official Web Chat's loader reads the same data- attributes from its own tag.
    window.__lanternWidget = false;
    var official = document.createElement('script');
    for (var i = 0; i < script.attributes.length; i++) {
      var attribute = script.attributes[i];
      if (attribute.name.indexOf('data-') === 0 && attribute.name !== 'data-client') official.setAttribute(attribute.name, attribute.value);
    }
    if (data.language && !data.lang) official.setAttribute('data-lang', data.language);
    if (nonce) official.nonce = nonce;
    official.src = origin + '/widget-webchat.js';
    (document.head || document.documentElement).appendChild(official);
    return;
  }

  var COLOR = /^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
  function safeUrl(value) {
    if (!value) return '';
    try {
      var url = new URL(value, location.href);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : '';
    } catch (e) { return ''; }
  }
  var exitUrl = safeUrl(data.exitUrl) || C.exitUrl;
  var TAG = /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,3}$/;
  var LANG_KEY = 'lantern.lang';
  function remembered() { try { return sessionStorage.getItem(LANG_KEY) || ''; } catch (e) { return ''; } }
  // A language picked on an earlier page of this site wins over the page's default.
  var language = [remembered(), data.language, data.lang, navigator.language].filter(function (l) { return TAG.test(l || ''); })[0] || 'en';
  var color = COLOR.test(data.color || '') ? data.color : '';
  function word(key) {
    var lower = String(language).toLowerCase();
    var own = {};
    for (var code in C.strings) {
      if (code.toLowerCase() === lower) { own = C.strings[code]; break; }
      if (code.toLowerCase().split('-')[0] === lower.split('-')[0]) own = C.strings[code];
    }
    return own[key] || C.strings.en[key];
  }
  var query = [['lang', language], ['host', location.origin], ['exit', exitUrl], ['country', data.country], ['title', data.title], ['color', color], ['exit-color', COLOR.test(data.exitColor || '') ? data.exitColor : '']]
    .filter(function (pair) { return pair[1]; })
    .map(function (pair) { return pair[0] + '=' + encodeURIComponent(pair[1]); })
    .join('&');

  // Styles through the CSSOM: allowed under any CSP the host page has, no <style> to carry a nonce.
  function css(node, rules) { for (var k in rules) node.style.setProperty(k, rules[k]); }
  var small = window.matchMedia && window.matchMedia('(max-width: 480px)').matches;
  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'lantern-open';
  button.textContent = word('open');
  css(button, { position: 'fixed', bottom: '16px', right: '16px', 'z-index': '2147483000', border: '0', 'border-radius': '28px', padding: '14px 20px', 'min-height': '48px',
    background: color || '#1f4e79', color: '#fff', font: '600 16px system-ui, sans-serif', cursor: 'pointer', 'box-shadow': '0 2px 8px rgba(0,0,0,.3)' });
  var frame = null;
  var leaving = false;

  function open(byUser) {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.className = 'lantern-frame';
      frame.title = data.title || word('title');
      // Scripts and its own origin (for its Direct Line calls); tel: links and links out open
      // from a tap; the host page is navigated only by this script.
      frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation allow-top-navigation-to-custom-protocols');
      frame.setAttribute('referrerpolicy', 'no-referrer');
      frame.src = origin + '/widget/frame?' + query;
      css(frame, small
        ? { position: 'fixed', top: '0', left: '0', width: '100%', height: '100%', border: '0', 'z-index': '2147483001', background: '#fff' }
        : { position: 'fixed', bottom: '16px', right: '16px', width: '370px', height: '560px', 'max-width': 'calc(100% - 32px)', 'max-height': 'calc(100% - 32px)',
          border: '0', 'border-radius': '12px', 'box-shadow': '0 4px 24px rgba(0,0,0,.35)', 'z-index': '2147483001', background: '#fff' });
      document.body.appendChild(frame);
    }
    frame.style.display = 'block';
    button.style.display = 'none';
    // Into the chat when the visitor opened it; a chat opened with the page leaves the focus alone.
    if (byUser === true) try { frame.focus(); } catch (e) { /* not focusable yet */ }
  }
  function close() {
    if (frame) frame.style.display = 'none';
    button.style.display = '';
    button.focus();
  }
  function wipe() {
    ['localStorage', 'sessionStorage'].forEach(function (name) {
      try {
        var store = window[name];
        var keys = [];
        for (var i = 0; i < store.length; i++) if (store.key(i).indexOf('lantern.') === 0) keys.push(store.key(i));
        keys.forEach(function (k) { store.removeItem(k); });
      } catch (e) { /* storage blocked */ }
    });
  }
  function leave() {
    if (leaving) return;
    leaving = true;
    wipe();
    if (frame && frame.parentNode) frame.parentNode.removeChild(frame);
    if (button.parentNode) button.parentNode.removeChild(button);
    // replace(), not assign(): Back must not return to this page.
    location.replace(exitUrl);
  }

  window.addEventListener('message', function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
    var what = event.data && event.data.lantern;
    if (what === 'exit') leave();
    else if (what === 'close') close();
    else if (what === 'language' && TAG.test(event.data.value || '')) {
      try { sessionStorage.setItem(LANG_KEY, event.data.value); } catch (e) { /* storage blocked */ }
    }
  });
  // Escape on the host page while the chat is open: the frame ends the conversation, then we leave.
  document.addEventListener('keydown', function (event) {
    if ((event.key !== 'Escape' && event.key !== 'Esc') || !frame || frame.style.display === 'none') return;
    try { frame.contentWindow.postMessage({ lantern: 'exit' }, origin); } catch (e) { /* gone */ }
    setTimeout(leave, 300);
  });
  button.addEventListener('click', function () { open(true); });

  function mount() {
    document.body.appendChild(button);
    if (data.open === 'true') open(false);
  }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
`;

/** Renders /widget.js with the server's default exit address and the chat button's word per language. */
export function renderLoaderScript(config: { exitUrl: string; translate?: WidgetTranslate; languages?: readonly WidgetLanguage[] }): string {
  const strings = widgetStrings(config.translate, config.languages ?? ENGLISH_ONLY, ['open', 'title']);
  return SOURCE.replace('__LANTERN_LOADER__', () => inlineJson({ exitUrl: config.exitUrl, strings }));
}

/** The raw script text, for the ES2017 check in the tests. */
export const LOADER_SCRIPT_SOURCE = SOURCE;
