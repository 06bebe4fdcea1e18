/**
 * The studio's pages: one HTML shell per page, one stylesheet and one plain-DOM script (no
 * framework, like the light widget). Every text from content is set with textContent, never as HTML.
 */

/** The pages, in the order of the menu. */
export const PAGES = [
  { id: 'flows', title: 'Flows' },
  { id: 'simulator', title: 'Simulator' },
  { id: 'translations', title: 'Translations' },
  { id: 'hotlines', title: 'Hotlines' },
  { id: 'versions', title: 'Versions' },
] as const;

/** One page of the studio; the script fills `main` by the page's id. */
export function studioPage(id: string): string {
  const title = PAGES.find((p) => p.id === id)?.title ?? 'Studio';
  const nav = PAGES.map((p) => `<a href="/${p.id}"${p.id === id ? ' aria-current="page"' : ''}>${p.title}</a>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Lantern studio</title><link rel="stylesheet" href="/studio.css"></head>
<body data-page="${id}">
<header><b>Lantern studio</b><nav>${nav}</nav><label class="who">Your name <input id="who" autocomplete="name" size="14"></label></header>
<div id="notice" role="status" hidden></div>
<main id="main"></main>
<script src="/studio.js"></script>
</body></html>
`;
}

/** The login page (only with STUDIO_TOKEN). */
export function loginPage(error?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in · Lantern studio</title><link rel="stylesheet" href="/studio.css"></head>
<body><main class="login"><h1>Lantern studio</h1>
${error ? `<p class="error">${error}</p>` : ''}
<form method="post" action="/login"><label>Studio token <input type="password" name="token" autocomplete="current-password" required></label>
<button>Log in</button></form>
<p class="hint">Ask whoever started the studio for the token (STUDIO_TOKEN).</p></main></body></html>
`;
}

/** The stylesheet. */
export const STUDIO_CSS = `
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: #1d2733; background: #f5f7f9; }
header { display: flex; gap: 18px; align-items: center; padding: 8px 16px; background: #1f4e79; color: #fff; }
header nav a { color: #dbe8f5; margin-right: 12px; text-decoration: none; }
header nav a[aria-current] { color: #fff; font-weight: 600; border-bottom: 2px solid #fff; }
header .who { margin-left: auto; font-size: 12px; }
main { padding: 12px 16px; }
#notice { margin: 8px 16px; padding: 8px 12px; border-radius: 6px; background: #e8f3e8; border: 1px solid #9c9; white-space: pre-wrap; }
#notice.bad { background: #fbeaea; border-color: #d99; }
.cols { display: flex; gap: 16px; align-items: flex-start; }
.graph { flex: 1; overflow: auto; background: #fff; border: 1px solid #dde3ea; border-radius: 8px; max-height: 80vh; }
.panel { width: 420px; background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: 10px 12px; max-height: 80vh; overflow: auto; }
.node rect { fill: #eef4fb; stroke: #1f4e79; rx: 6; cursor: pointer; }
.node.ask rect { fill: #fff7e0; rx: 16; }
.node.end rect { fill: #e9e9e9; }
.node.external rect { fill: #fff; stroke-dasharray: 4 3; }
.node.bad rect { stroke: #c0392b; stroke-width: 3; }
.node.selected rect { stroke-width: 3; fill: #dcebfa; }
.node text { font-size: 12px; pointer-events: none; }
.edge path { fill: none; stroke: #7a8896; }
.edge.call path { stroke-dasharray: 2 3; }
.edge text { font-size: 10px; fill: #5b6775; }
.field { margin: 6px 0; }
.field label { display: block; font-size: 12px; color: #5b6775; }
.field input, textarea { width: 100%; box-sizing: border-box; font: inherit; }
textarea.yaml { font-family: ui-monospace, monospace; min-height: 140px; }
.problem { color: #a02020; font-size: 12px; margin: 2px 0; }
.warning { color: #8a5a00; font-size: 12px; }
pre.diff { background: #f0f3f6; padding: 8px; overflow: auto; max-height: 240px; font-size: 12px; }
table.tr { border-collapse: collapse; background: #fff; font-size: 12px; }
table.tr th, table.tr td { border: 1px solid #dde3ea; padding: 3px 5px; vertical-align: top; max-width: 260px; }
table.tr td.cell { cursor: pointer; }
table.tr td.missing { background: #fbeaea; }
.mark { display: inline-block; font-size: 10px; padding: 0 4px; border-radius: 3px; margin-right: 3px; color: #fff; }
.mark.m { background: #c0392b; } .mark.c { background: #d68910; } .mark.r { background: #7d3c98; }
.toolbar { display: flex; gap: 10px; flex-wrap: wrap; align-items: center; margin-bottom: 8px; }
.sim { display: flex; gap: 16px; }
.sim iframe { width: 400px; height: 640px; border: 1px solid #dde3ea; border-radius: 8px; background: #fff; }
.trace { flex: 1; background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: 8px; font-size: 12px; max-height: 640px; overflow: auto; }
.ok { color: #1e7d32; } .bad { color: #a02020; }
.login { max-width: 360px; margin: 60px auto; background: #fff; padding: 20px; border-radius: 8px; }
.error { color: #a02020; }
`;

/** The page script: plain ES2017, no framework. */
export const STUDIO_SCRIPT = String.raw`(function () {
  'use strict';
  var page = document.body.getAttribute('data-page');
  var main = document.getElementById('main');
  var notice = document.getElementById('notice');
  var whoInput = document.getElementById('who');
  var state = null;
  try { whoInput.value = localStorage.getItem('studio.who') || ''; } catch (e) { /* storage blocked */ }
  whoInput.addEventListener('change', function () { try { localStorage.setItem('studio.who', whoInput.value); } catch (e) { /* blocked */ } });

  function el(tag, attrs, kids) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), attrs[k]);
      else if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) node.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    });
    (kids || []).forEach(function (kid) { if (kid) node.appendChild(typeof kid === 'string' ? document.createTextNode(kid) : kid); });
    return node;
  }
  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, kids) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { if (k === 'text') node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]); });
    (kids || []).forEach(function (kid) { node.appendChild(kid); });
    return node;
  }
  function say(text, bad) {
    notice.hidden = !text;
    notice.textContent = text || '';
    notice.className = bad ? 'bad' : '';
  }
  function get(path) {
    return fetch(path, { credentials: 'same-origin' }).then(function (r) {
      return r.json().then(function (body) { if (!r.ok) throw Object.assign(new Error(body.error || r.statusText), { body: body }); return body; });
    });
  }
  function post(path, body) {
    body.who = whoInput.value || undefined;
    return fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrf-token': state.csrf }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (b) { if (!r.ok) throw Object.assign(new Error(b.error || r.statusText), { body: b }); return b; }); });
  }
  function problemText(p) { return (p.severity === 'warning' ? 'warning: ' : '') + p.message + ' (' + p.file + ':' + p.line + ')'; }
  function showSaved(result, where) {
    var lines = ['Saved as a new version. A server started with "lantern serve --watch" reloads it by itself; otherwise send it SIGHUP (or restart it).'];
    (result.warnings || []).forEach(function (w) { lines.push('warning: ' + w.message); });
    say(lines.join('\n'));
    if (where) {
      where.textContent = '';
      result.files.forEach(function (f) { where.appendChild(el('div', {}, [el('b', { text: f.file }), el('pre', { 'class': 'diff', text: f.diff })])); });
    }
  }
  function failed(error) { say(error.message, true); }

  // ---------- Flows ----------
  function flowsPage() {
    var list = el('select', { id: 'flow-pick' });
    state.flows.forEach(function (f) { list.appendChild(el('option', { value: f, text: f })); });
    var graph = el('div', { 'class': 'graph', id: 'graph' });
    var panel = el('div', { 'class': 'panel', id: 'panel' }, [el('p', { text: 'Click a step to see its texts, problems and figures.' })]);
    var lang = el('select', { id: 'text-lang' });
    state.languages.forEach(function (l) { lang.appendChild(el('option', { value: l, text: l })); });
    main.appendChild(el('div', { 'class': 'toolbar' }, [el('label', {}, ['Flow ', list]), el('label', {}, ['Texts in ', lang]),
      el('button', { id: 'add-step', text: 'Add a step', onclick: function () { addStep(list.value); } }),
      el('span', { text: state.server ? 'Figures from ' + state.server : 'Start with --server URL to see how often people pass each step.' })]));
    main.appendChild(el('div', { 'class': 'cols' }, [graph, panel]));
    var selected = null;
    function draw() {
      get('/api/flow?id=' + encodeURIComponent(list.value)).then(function (data) {
        var L = data.layout;
        graph.textContent = '';
        var root = svg('svg', { width: L.width, height: L.height, viewBox: '0 0 ' + L.width + ' ' + L.height });
        root.appendChild(svg('defs', {}, [svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto' }, [svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#7a8896' })])]));
        L.edges.forEach(function (e) {
          var d = e.points.map(function (p, i) { return (i ? 'L' : 'M') + p.x + ',' + p.y; }).join(' ');
          var g = svg('g', { 'class': 'edge' + (e.call ? ' call' : '') }, [svg('path', { d: d, 'marker-end': 'url(#arrow)' })]);
          if (e.label && e.points.length) { var mid = e.points[Math.floor(e.points.length / 2)]; g.appendChild(svg('text', { x: mid.x + 4, y: mid.y - 2, text: e.label })); }
          root.appendChild(g);
        });
        L.nodes.forEach(function (n) {
          var count = data.visits && !n.external ? ' (' + data.visits[n.id] + ')' : '';
          var g = svg('g', { 'class': 'node ' + n.kind + (n.external ? ' external' : '') + (n.problems ? ' bad' : '') + (n.id === selected ? ' selected' : ''), 'data-step': n.id, transform: 'translate(' + (n.x - n.width / 2) + ',' + (n.y - n.height / 2) + ')' },
            [svg('rect', { width: n.width, height: n.height }), svg('text', { x: 8, y: n.height / 2 + 4, text: (n.id === L.start ? '▶ ' : '') + n.id + count })]);
          if (!n.external) g.addEventListener('click', function () { selected = n.id; draw(); showStep(list.value, n.id); });
          root.appendChild(g);
        });
        graph.appendChild(root);
      }).catch(failed);
    }
    function showStep(flow, name) {
      get('/api/step?flow=' + encodeURIComponent(flow) + '&state=' + encodeURIComponent(name)).then(function (d) {
        panel.textContent = '';
        panel.appendChild(el('h3', { text: d.flow + ' › ' + d.state + ' (' + d.kind + ')' }));
        if (d.visits !== null) panel.appendChild(el('p', { text: 'People passed this step ' + d.visits + ' times (since the server started).' }));
        panel.appendChild(el('h4', { text: 'Texts' }));
        d.texts.forEach(function (t) {
          panel.appendChild(el('div', { 'class': 'field' }, [el('label', { text: t.where + ' — ' + t.key }), el('div', { 'class': 'text', text: t.byLanguage[lang.value] || '(missing)' })]));
        });
        panel.appendChild(el('h4', { text: 'Problems' }));
        if (!d.problems.length) panel.appendChild(el('p', { 'class': 'ok', text: 'None.' }));
        d.problems.forEach(function (p) { panel.appendChild(el('p', { 'class': p.severity === 'error' ? 'problem' : 'warning', text: problemText(p) })); });
        panel.appendChild(el('h4', { text: 'Where it leads' }));
        var fields = {};
        var form = el('form', { id: 'targets' });
        d.targets.forEach(function (t) {
          var input = el('input', { name: t.where, value: t.target });
          fields[t.where] = el('div', { 'class': 'messages' });
          form.appendChild(el('div', { 'class': 'field', 'data-field': t.where }, [el('label', { text: t.where + ' (a step, or flow:name for another flow)' }), input, fields[t.where]]));
        });
        var general = el('div', { 'class': 'messages', id: 'step-messages' });
        var diff = el('div', { id: 'diff' });
        form.appendChild(el('button', { text: 'Save' }));
        form.addEventListener('submit', function (ev) {
          ev.preventDefault();
          var targets = {};
          Array.prototype.forEach.call(form.querySelectorAll('input'), function (i) { targets[i.name] = i.value; });
          save({ flow: d.flow, state: d.state, hash: d.hash, targets: targets });
        });
        panel.appendChild(form);
        panel.appendChild(el('h4', { text: 'The whole step (YAML)' }));
        var yaml = el('textarea', { 'class': 'yaml', id: 'step-yaml' });
        yaml.value = d.yaml;
        panel.appendChild(yaml);
        panel.appendChild(el('button', { text: 'Save step', onclick: function () { save({ flow: d.flow, state: d.state, hash: d.hash, yaml: yaml.value }); } }));
        panel.appendChild(el('a', { href: '/simulator?flow=' + encodeURIComponent(d.flow) + '&state=' + encodeURIComponent(d.state), text: ' Try from this step in the simulator' }));
        panel.appendChild(general);
        panel.appendChild(diff);
        function save(body) {
          Object.keys(fields).forEach(function (k) { fields[k].textContent = ''; });
          general.textContent = '';
          post('/api/step', body).then(function (r) { showSaved(r, diff); draw(); }).catch(function (error) {
            failed(error);
            ((error.body && error.body.problems) || []).forEach(function (p) {
              var prefix = 'states.' + d.state + '.';
              var key = p.path.indexOf(prefix) === 0 ? p.path.slice(prefix.length) : '';
              (fields[key] || general).appendChild(el('p', { 'class': 'problem', text: problemText(p) }));
            });
          });
        }
      }).catch(failed);
    }
    function addStep(flow) {
      panel.textContent = '';
      var name = el('input', { id: 'new-step-name', placeholder: 'e.g. ask_salary' });
      var yaml = el('textarea', { 'class': 'yaml', id: 'new-step-yaml' });
      yaml.value = 'say: menu.welcome\nnext: menu\n';
      var messages = el('div', { 'class': 'messages', id: 'new-step-messages' });
      var diff = el('div', {});
      panel.appendChild(el('h3', { text: 'Add a step to ' + flow }));
      panel.appendChild(el('div', { 'class': 'field' }, [el('label', { text: 'Step name' }), name]));
      panel.appendChild(el('div', { 'class': 'field' }, [el('label', { text: 'Step (YAML)' }), yaml, messages]));
      panel.appendChild(el('button', { id: 'new-step-save', text: 'Save step', onclick: function () {
        messages.textContent = '';
        get('/api/flow?id=' + encodeURIComponent(flow)).then(function (f) {
          return post('/api/step', { flow: flow, state: name.value, create: true, hash: f.hash, yaml: yaml.value });
        }).then(function (r) { showSaved(r, diff); draw(); }).catch(function (error) {
          failed(error);
          ((error.body && error.body.problems) || []).forEach(function (p) { messages.appendChild(el('p', { 'class': 'problem', text: problemText(p) })); });
        });
      } }));
      panel.appendChild(diff);
    }
    list.addEventListener('change', function () { selected = null; draw(); });
    lang.addEventListener('change', function () { if (selected) showStep(list.value, selected); });
    draw();
  }

  // ---------- Translations ----------
  function translationsPage() {
    var filter = el('input', { id: 'tr-filter', placeholder: 'Find a key or text' });
    var only = el('select', { id: 'tr-lang' }, [el('option', { value: '', text: 'All languages' })]);
    var marked = el('input', { type: 'checkbox', id: 'tr-marked' });
    var exportLang = el('select', {});
    var format = el('select', {}, [el('option', { value: 'po', text: 'PO' }), el('option', { value: 'csv', text: 'CSV' })]);
    var file = el('input', { type: 'file', id: 'tr-file', accept: '.po,.csv' });
    var table = el('table', { 'class': 'tr', id: 'tr-table' });
    var diff = el('div', {});
    var data = null;
    main.appendChild(el('div', { 'class': 'toolbar' }, [filter, el('label', {}, ['Show ', only]), el('label', {}, [marked, ' only missing, changed or not reviewed'])]));
    main.appendChild(el('div', { 'class': 'toolbar' }, [el('span', { text: 'Marks: ' }), el('span', { 'class': 'mark m', text: 'missing' }), el('span', { 'class': 'mark c', text: 'English changed since' }), el('span', { 'class': 'mark r', text: 'not reviewed' }),
      el('label', {}, [' Language ', exportLang]), format,
      el('button', { text: 'Export', onclick: function () { location.href = '/api/translations/export?lang=' + encodeURIComponent(exportLang.value) + '&format=' + format.value; } }),
      file, el('button', { text: 'Import', onclick: importFile })]));
    main.appendChild(diff);
    main.appendChild(table);
    function load() {
      return get('/api/translations').then(function (d) {
        data = d;
        if (only.options.length === 1) d.languages.forEach(function (l) {
          only.appendChild(el('option', { value: l.code, text: l.code + ' — ' + l.name }));
          if (l.code !== 'en') exportLang.appendChild(el('option', { value: l.code, text: l.code }));
        });
        render();
      }).catch(failed);
    }
    function render() {
      table.textContent = '';
      var langs = data.languages.filter(function (l) { return !only.value || l.code === only.value || l.code === 'en'; });
      table.appendChild(el('tr', {}, [el('th', { text: 'key' })].concat(langs.map(function (l) { return el('th', { text: l.code + (l.code !== 'en' && !l.reviewed ? ' (not reviewed)' : '') }); }))));
      var q = filter.value.toLowerCase();
      var shown = 0;
      data.rows.forEach(function (row) {
        if (shown > 400) return;
        var hit = !q || row.key.toLowerCase().indexOf(q) >= 0 || row.english.toLowerCase().indexOf(q) >= 0 ||
          langs.some(function (l) { return row.cells[l.code] && row.cells[l.code].text.toLowerCase().indexOf(q) >= 0; });
        var flagged = langs.some(function (l) { var c = row.cells[l.code]; return c && (c.missing || c.changed || c.unreviewed); });
        if (!hit || (marked.checked && !flagged)) return;
        shown++;
        var tr = el('tr', { 'data-key': row.key }, [el('td', { text: row.key })]);
        langs.forEach(function (l) {
          var c = l.code === 'en' ? { text: row.english } : row.cells[l.code];
          var td = el('td', { 'class': 'cell' + (c.missing ? ' missing' : ''), 'data-lang': l.code, 'data-unreviewed': c.unreviewed ? '1' : null });
          if (c.missing) td.appendChild(el('span', { 'class': 'mark m', title: 'missing', text: 'M' }));
          if (c.changed) td.appendChild(el('span', { 'class': 'mark c', title: 'English changed since this was translated', text: 'C' }));
          if (c.unreviewed) td.appendChild(el('span', { 'class': 'mark r', title: 'not reviewed by a native speaker', text: 'R' }));
          td.appendChild(el('span', { 'class': 'value', text: c.text }));
          td.addEventListener('click', function () { edit(td, row.key, l.code, c.text); });
          tr.appendChild(td);
        });
        table.appendChild(tr);
      });
      if (shown > 400) table.appendChild(el('tr', {}, [el('td', { text: 'More rows: narrow the search.' })]));
    }
    function edit(td, key, lng, text) {
      if (td.querySelector('textarea')) return;
      td.textContent = '';
      var area = el('textarea', { rows: 3 });
      area.value = text;
      var messages = el('div', {});
      td.appendChild(area);
      td.appendChild(el('button', { text: 'Save', onclick: function (ev) {
        ev.stopPropagation();
        var texts = {};
        texts[key] = area.value;
        post('/api/translations', { lang: lng, texts: texts, hashes: data.hashes }).then(function (r) { showSaved(r, diff); return load(); }).catch(function (error) {
          failed(error);
          ((error.body && error.body.problems) || []).forEach(function (p) { messages.appendChild(el('p', { 'class': 'problem', text: problemText(p) })); });
        });
      } }));
      if (lng !== 'en' && td.getAttribute('data-unreviewed')) td.appendChild(el('button', { text: 'Mark reviewed', title: 'A native speaker has read this text', onclick: function (ev) {
        ev.stopPropagation();
        post('/api/translations/reviewed', { lang: lng, keys: [key], hash: data.hashes['locales/' + lng + '/_meta.json'] }).then(function (r) { showSaved(r, diff); return load(); }).catch(failed);
      } }));
      td.appendChild(el('button', { text: 'Cancel', onclick: function (ev) { ev.stopPropagation(); render(); } }));
      td.appendChild(messages);
      area.focus();
    }
    function importFile() {
      var f = file.files[0];
      if (!f) { say('Pick a PO or CSV file first.', true); return; }
      f.text().then(function (text) {
        return post('/api/translations/import', { lang: exportLang.value, format: /\.csv$/i.test(f.name) ? 'csv' : 'po', text: text, name: f.name, hashes: data.hashes });
      }).then(function (r) { showSaved(r, diff); say('Imported ' + r.imported + ' changed texts (' + r.unchanged + ' unchanged, ' + r.ignored + ' ignored).' + (r.notes.length ? '\n' + r.notes.join('\n') : '')); return load(); }).catch(failed);
    }
    filter.addEventListener('input', render);
    // The language shown is the one staff mean to export or import.
    only.addEventListener('change', function () { if (only.value && only.value !== 'en') exportLang.value = only.value; render(); });
    marked.addEventListener('change', render);
    load();
  }

  // ---------- Hotlines ----------
  function hotlinesPage() {
    var pick = el('select', { id: 'country' });
    state.countries.forEach(function (c) { pick.appendChild(el('option', { value: c, text: c })); });
    // No browser validation: every save goes through the lint checks, whose message shows beside the field.
    var form = el('form', { id: 'hotline-form', novalidate: true });
    var diff = el('div', {});
    main.appendChild(el('div', { 'class': 'toolbar' }, [el('label', {}, ['Country ', pick])]));
    main.appendChild(form);
    main.appendChild(diff);
    var current = null;
    function field(label, path, value, opts) {
      opts = opts || {};
      var input = opts.lines ? el('textarea', { rows: 2, 'data-path': JSON.stringify(path), required: true }) : el('input', { 'data-path': JSON.stringify(path), value: value, type: opts.type || 'text', required: opts.required || null });
      if (opts.lines) input.value = (value || []).join('\n');
      input.setAttribute('data-original', opts.lines ? input.value : value == null ? '' : String(value));
      if (opts.lines) input.setAttribute('data-lines', '1');
      var msg = el('div', { 'class': 'messages' });
      if (opts.phone) {
        var timer = 0;
        input.addEventListener('input', function () {
          clearTimeout(timer);
          timer = setTimeout(function () {
            post('/api/phone-check', { country: pick.value, number: input.value, shortCode: opts.phone.shortCode === true, from: opts.phone.from || 'inside' }).then(function (r) {
              msg.textContent = '';
              msg.appendChild(el('p', { 'class': r.ok ? 'ok' : 'problem', text: r.ok ? 'Valid number for ' + pick.value + '.' : r.fix }));
            }).catch(failed);
          }, 250);
        });
      }
      return el('div', { 'class': 'field', 'data-field': path.join('.') }, [el('label', { text: label }), input, msg]);
    }
    function load() {
      get('/api/hotlines?country=' + pick.value).then(function (d) {
        current = d;
        form.textContent = '';
        var e = d.entry.emergency;
        form.appendChild(el('h3', { text: 'Emergency' }));
        form.appendChild(field('Emergency number', ['emergency', 'number'], e.number, { phone: { shortCode: true } }));
        form.appendChild(field('Sources (one address a line; required)', ['emergency', 'sources'], e.sources, { lines: true }));
        form.appendChild(field('Checked on (required)', ['emergency', 'checked'], e.checked, { type: 'date', required: true }));
        (d.entry.helplines || []).forEach(function (h, i) {
          form.appendChild(el('h3', { text: h.name + ' — ' + h.organisation }));
          (h.numbers || []).forEach(function (n, j) {
            form.appendChild(field('Number' + (n.from && n.from !== 'inside' ? ' (from ' + n.from + ')' : '') + (n.shortCode ? ' (short code)' : ''), ['helplines', i, 'numbers', j, 'number'], n.number, { phone: { shortCode: n.shortCode, from: n.from } }));
          });
          form.appendChild(field('Sources (one address a line; required)', ['helplines', i, 'sources'], h.sources, { lines: true }));
          form.appendChild(field('Checked on (required)', ['helplines', i, 'checked'], h.checked, { type: 'date', required: true }));
        });
        form.appendChild(el('button', { text: 'Save' }));
      }).catch(failed);
    }
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var edits = [];
      Array.prototype.forEach.call(form.querySelectorAll('[data-path]'), function (input) {
        if (input.value === input.getAttribute('data-original')) return;
        var value = input.getAttribute('data-lines') ? input.value.split('\n').map(function (s) { return s.trim(); }).filter(Boolean) : input.value;
        edits.push({ path: JSON.parse(input.getAttribute('data-path')), value: value });
      });
      Array.prototype.forEach.call(form.querySelectorAll('.messages'), function (m) { m.textContent = ''; });
      post('/api/hotlines', { country: pick.value, hash: current.hash, edits: edits }).then(function (r) { showSaved(r, diff); load(); }).catch(function (error) {
        failed(error);
        ((error.body && error.body.problems) || []).forEach(function (p) {
          var key = p.path.replace('countries.' + pick.value + '.', '').replace(/\[(\d+)\]/g, '.$1');
          var box = form.querySelector('[data-field="' + key + '"] .messages') || form.querySelector('[data-field="' + key.replace(/\.\d+$/, '') + '"] .messages');
          (box || diff).appendChild(el('p', { 'class': 'problem', text: problemText(p) }));
        });
      });
    });
    pick.addEventListener('change', load);
    load();
  }

  // ---------- Simulator ----------
  function simulatorPage() {
    var params = new URLSearchParams(location.search);
    var lang = el('select', { id: 'sim-lang' });
    state.languages.forEach(function (l) { lang.appendChild(el('option', { value: l, text: l })); });
    var country = el('select', { id: 'sim-country' }, [el('option', { value: '', text: '(none)' })]);
    state.countries.forEach(function (c) { country.appendChild(el('option', { value: c, text: c })); });
    var channel = el('select', { id: 'sim-channel' }, ['webchat', 'telegram', 'botframework'].map(function (c) { return el('option', { value: c, text: c }); }));
    var frame = el('iframe', { id: 'sim-frame', title: 'Simulator' });
    var trace = el('div', { 'class': 'trace', id: 'sim-trace' }, [el('b', { text: 'What the bot read, turn by turn' })]);
    var since = 0;
    var startAt = params.get('flow') && params.get('state') ? { flow: params.get('flow'), state: params.get('state') } : null;
    main.appendChild(el('div', { 'class': 'toolbar' }, [el('label', {}, ['Language ', lang]), el('label', {}, ['Country ', country]), el('label', {}, ['Channel ', channel]),
      el('button', { id: 'sim-reset', text: 'Reset', onclick: function () { start(null); } }),
      el('span', { id: 'sim-start', text: startAt ? 'Starting at ' + startAt.flow + ' › ' + startAt.state : '' })]));
    main.appendChild(el('div', { 'class': 'sim' }, [frame, trace]));
    function start(at) {
      try { ['lantern.lang', 'lantern.conversation'].forEach(function (k) { sessionStorage.removeItem(k); }); Object.keys(sessionStorage).forEach(function (k) { if (k.indexOf('lantern.') === 0) sessionStorage.removeItem(k); }); } catch (e) { /* blocked */ }
      post('/api/sim/settings', { channel: channel.value, startAt: at }).then(function () { return post('/api/sim/reset', {}); }).then(function () {
        since = 0;
        Array.prototype.slice.call(trace.querySelectorAll('.turn')).forEach(function (t) { t.remove(); });
        frame.src = '/widget/frame?lang=' + encodeURIComponent(lang.value) + (country.value ? '&country=' + country.value : '') + '&host=' + encodeURIComponent(location.origin) + '&t=' + Date.now();
      }).catch(failed);
    }
    function poll() {
      get('/api/sim/trace?since=' + since).then(function (d) {
        d.turns.forEach(function (t) {
          since = t.n;
          var words = t.concepts.map(function (c) { return c.id + ': ' + c.words.join(', '); }).join('; ');
          trace.appendChild(el('div', { 'class': 'turn' }, [el('b', { text: t.n + '. ' + t.input }), el('div', { text: 'intent: ' + (t.intent || '—') + (words ? ' · words: ' + words : '') + (t.at ? ' · now at ' + t.at : '') })]));
        });
      }).catch(function () { /* next time */ }).then(function () { setTimeout(poll, 1000); });
    }
    [lang, country, channel].forEach(function (s) { s.addEventListener('change', function () { start(null); }); });
    start(startAt);
    poll();
  }

  // ---------- Versions ----------
  function versionsPage() {
    var list = el('div', { id: 'versions' });
    var diff = el('div', {});
    main.appendChild(list);
    main.appendChild(diff);
    function load() {
      get('/api/versions').then(function (d) {
        list.textContent = '';
        list.appendChild(el('p', { text: d.kind === 'git' ? 'Each save is a git commit in the content folder.' : 'Each save keeps the files as they were in .lantern-versions/ beside flows/ and locales/.' }));
        d.versions.forEach(function (v) {
          list.appendChild(el('div', { 'class': 'version', 'data-version': v.id }, [el('b', { text: v.when.replace('T', ' ').slice(0, 19) + ' ' }), el('span', { text: v.message + ' (' + v.files.join(', ') + ') ' }),
            el('button', { text: 'Roll back', onclick: function () {
              if (!confirm('Put back the files as they were before this change?')) return;
              post('/api/rollback', { id: v.id }).then(function (r) { showSaved(r, diff); load(); }).catch(failed);
            } })]));
        });
      }).catch(failed);
    }
    load();
  }

  get('/api/state').then(function (s) {
    state = s;
    var pages = { flows: flowsPage, translations: translationsPage, hotlines: hotlinesPage, simulator: simulatorPage, versions: versionsPage };
    (pages[page] || flowsPage)();
    main.setAttribute('data-ready', '1');
  }).catch(failed);
})();
`;
