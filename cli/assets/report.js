// Interactivity of the gotriage HTML report: search, filters, paging and the
// icicle view's clicks. Embedded by CMake into the binary and allowed by its
// SHA-256 hash in the page's Content-Security-Policy. Everything the page
// needs to be read is already in the HTML; this script only reads the JSON
// data block (JSON.parse) and builds elements with textContent: input text is
// never parsed as HTML.
(function () {
  'use strict';
  var PAGE = 100;
  var dataEl = document.getElementById('gt-data');
  if (!dataEl) return;
  var data = JSON.parse(dataEl.textContent);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function shortFile(f) {
    var parts = f.split('/');
    return parts.length > 2 ? parts.slice(-2).join('/') : f;
  }
  // Links come from the report's own validated builder; checked again here.
  function safeUrl(u) {
    return typeof u === 'string' && /^https:\/\/(github\.com|pkg\.go\.dev|cs\.opensource\.google)\//.test(u) ? u : '';
  }
  function location(fr) {
    if (!fr[1]) return null;
    var text = shortFile(fr[1]) + (fr[2] > 0 ? ':' + fr[2] : '');
    var url = safeUrl(fr[4]);
    var a;
    if (url) {
      a = el('a', 'loc', text);
      a.href = url;
      a.rel = 'noreferrer noopener';
    } else {
      a = el('span', 'loc', text);
    }
    a.title = fr[1];
    return a;
  }

  function setupIncident(inc) {
    var section = document.getElementById(inc.id);
    if (!section) return;
    var controls = section.querySelector('.controls');
    var list = section.querySelector('.groups');
    if (!controls || !list) return;
    var frames = inc.frames, groups = inc.groups;
    var q = controls.querySelector('.q'), fstate = controls.querySelector('.fstate');
    var fpkg = controls.querySelector('.fpkg'), fmine = controls.querySelector('.fmine');
    var flabel = controls.querySelector('.flabel');
    var status = controls.querySelector('.status');
    var flameFn = '';

    // Per group: text to search, packages, whether it runs through app code.
    var states = {}, pkgs = {}, labels = {};
    groups.forEach(function (g) {
      var hay = [g.s, g.lb || ''];
      g.pk = {};
      g.mine = false;
      g.fns = {};
      (g.f || []).forEach(function (i) {
        var fr = frames[i];
        hay.push(fr[0], fr[1]);
        g.fns[fr[0]] = true;
        if (fr[5]) g.pk[fr[5]] = true;
        if (fr[3] === 'k-app') g.mine = true;
      });
      if (g.cr !== undefined) hay.push('created by ' + frames[g.cr][0]);
      g.hay = hay.join('\n').toLowerCase();
      states[g.s] = (states[g.s] || 0) + g.n;
      Object.keys(g.pk).forEach(function (p) { pkgs[p] = (pkgs[p] || 0) + g.n; });
      Object.keys(g.ls || {}).forEach(function (l) {
        labels[l] = (labels[l] || 0) + g.ls[l];
        g.hay += '\n' + l.toLowerCase();
      });
    });
    function fill(select, counts, max) {
      Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); })
        .slice(0, max).forEach(function (k) {
          var o = el('option', null, k + ' (' + counts[k] + ')');
          o.value = k;
          select.appendChild(o);
        });
    }
    fill(fstate, states, 200);
    fill(fpkg, pkgs, 400);
    // runtime/pprof labels (`tenant=t1`): only when some goroutine has one.
    if (flabel && Object.keys(labels).length) {
      fill(flabel, labels, 400);
      flabel.hidden = false;
    }
    controls.hidden = false;

    function matches(g) {
      if (fstate.value && g.s !== fstate.value) return false;
      if (fpkg.value && !g.pk[fpkg.value]) return false;
      if (flabel && flabel.value && !(g.ls && g.ls[flabel.value])) return false;
      if (fmine.checked && !g.mine) return false;
      if (flameFn && !g.fns[flameFn]) return false;
      var text = q.value.trim().toLowerCase();
      if (text) {
        var words = text.split(/\s+/);
        for (var i = 0; i < words.length; i++) if (g.hay.indexOf(words[i]) < 0) return false;
      }
      return true;
    }

    function stack(g) {
      var ol = el('ol', 'stack');
      (g.f || []).forEach(function (i, k) {
        var fr = frames[i];
        var li = el('li', 'fr ' + fr[3] + (k === g.a ? ' mark' : ''));
        li.appendChild(el('code', 'fn', fr[0]));
        var loc = location(fr);
        if (loc) { li.appendChild(document.createTextNode(' ')); li.appendChild(loc); }
        if (fr[6]) { var ln = el('span', 'ln', 'L' + fr[6]); ln.title = 'input line'; li.appendChild(ln); }
        ol.appendChild(li);
      });
      if (g.more) ol.appendChild(el('li', 'more dim', '\u2026 ' + g.more + ' more frames'));
      return ol;
    }

    function groupEl(g, idx) {
      var d = el('details', 'group');
      d.dataset.g = idx;
      var s = el('summary');
      s.appendChild(el('span', 'cnt', g.n));
      s.appendChild(document.createTextNode(' '));
      s.appendChild(el('span', 'st', g.s));
      if (g.w) {
        s.appendChild(document.createTextNode(' '));
        s.appendChild(el('span', 'wait', (g.w[0] === g.w[1] ? g.w[1] : g.w[0] + '\u2013' + g.w[1]) + ' min'));
      }
      if (g.lk) { s.appendChild(document.createTextNode(' ')); s.appendChild(el('span', 'tag leak', 'leaked')); }
      var f = g.f || [];
      var at = g.a >= 0 ? g.a : g.c >= 0 ? g.c : 0;
      if (f.length > at) {
        var fr = frames[f[at]];
        s.appendChild(document.createTextNode(' '));
        s.appendChild(el('code', 'fn ' + fr[3], fr[0]));
      }
      if (g.cr !== undefined) {
        s.appendChild(document.createTextNode(' '));
        s.appendChild(el('span', 'cr', 'created by ' + frames[g.cr][0]));
      }
      if (g.lb) { s.appendChild(document.createTextNode(' ')); s.appendChild(el('span', 'lb', g.lb)); }
      d.appendChild(s);
      // The stack is built when first opened: a page of closed groups is cheap.
      d.addEventListener('toggle', function () {
        if (!d.open || d.dataset.built) return;
        d.dataset.built = '1';
        d.appendChild(stack(g));
        if (g.cr !== undefined) {
          var c = el('p', 'created', 'created by ');
          var cf = frames[g.cr];
          c.appendChild(el('code', 'fn', cf[0]));
          var loc = location(cf);
          if (loc) { c.appendChild(document.createTextNode(' ')); c.appendChild(loc); }
          if (g.cg !== undefined) c.appendChild(document.createTextNode(' in goroutine ' + g.cg));
          d.appendChild(c);
        }
        if (g.ids && g.ids.length)
          d.appendChild(el('p', 'ids dim', (g.n > 1 ? 'goroutines ' : 'goroutine ') + g.ids.join(', ') +
                           (g.n > g.ids.length ? ', \u2026' : '')));
      });
      return d;
    }

    var shown = [], next = 0;
    function renderMore() {
      var old = list.querySelector('.pager');
      if (old) old.remove();
      var end = Math.min(shown.length, next + PAGE);
      var frag = document.createDocumentFragment();
      for (; next < end; next++) frag.appendChild(groupEl(groups[shown[next]], shown[next]));
      list.appendChild(frag);
      if (next < shown.length) {
        var p = el('p', 'pager');
        var b = el('button', null, 'Show ' + Math.min(PAGE, shown.length - next) + ' more of ' +
                   (shown.length - next) + ' remaining groups');
        b.type = 'button';
        b.addEventListener('click', function () { renderMore(); });
        p.appendChild(b);
        list.appendChild(p);
      }
    }
    function apply(initial) {
      shown = [];
      var gs = 0, total = 0;
      groups.forEach(function (g, i) {
        total += g.n;
        if (matches(g)) { shown.push(i); gs += g.n; }
      });
      var server = list.querySelectorAll('details.group').length;
      if (initial === true && shown.length === groups.length && server === Math.min(PAGE, groups.length)) {
        // Unfiltered, the server's first page is already there: keep it and
        // only add the pager for the rest.
        var note = list.querySelector('.more-groups');
        if (note) note.remove();
        next = server;
        renderMore();
      } else {
        list.textContent = '';
        next = 0;
        renderMore();
      }
      var msg = shown.length + ' of ' + groups.length + ' groups, ' + gs + ' of ' + total + ' goroutines';
      if (inc.total_groups > groups.length) msg += ' (the ' + groups.length + ' largest of ' + inc.total_groups + ' groups are in this page)';
      if (flameFn) msg += ' \u00b7 through ' + flameFn;
      status.textContent = msg;
      section.dataset.shownGroups = shown.length;
    }

    var timer = 0;
    q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 80); });
    [fstate, fpkg, flabel, fmine].forEach(function (c) { if (c) c.addEventListener('change', apply); });
    controls.querySelector('.clear').addEventListener('click', function () {
      q.value = ''; fstate.value = ''; fpkg.value = ''; if (flabel) flabel.value = ''; fmine.checked = false; selectFlame('');
      apply();
    });
    var flameCells = section.querySelectorAll('svg.fl');
    function selectFlame(fn) {
      flameFn = fn;
      for (var i = 0; i < flameCells.length; i++)
        flameCells[i].classList.toggle('sel', fn !== '' && flameCells[i].getAttribute('data-fn') === fn);
    }
    var icicle = section.querySelector('svg.icicle');
    if (icicle) icicle.addEventListener('click', function (ev) {
      var cell = ev.target.closest('svg.fl');
      if (!cell) return;
      var fn = cell.getAttribute('data-fn') || '';
      selectFlame(flameFn === fn ? '' : fn);
      apply();
    });
    apply(true);
  }

  data.incidents.forEach(setupIncident);
  // Printing shows every group that is on the page, opened.
  window.addEventListener('beforeprint', function () {
    var ds = document.querySelectorAll('details');
    for (var i = 0; i < ds.length; i++) {
      if (!ds[i].open) { ds[i].dataset.printOpened = '1'; ds[i].open = true; }
    }
  });
  window.addEventListener('afterprint', function () {
    var ds = document.querySelectorAll('details[data-print-opened]');
    for (var i = 0; i < ds.length; i++) { ds[i].open = false; delete ds[i].dataset.printOpened; }
  });
  window.__gtReady = performance.now();
  document.documentElement.dataset.ready = '1';
})();
