// The live page: one WebSocket (/live/stream) of what Nudge decides, mails and counts, drawn as it comes.
// No framework, no build: every value from the server goes in through textContent, never as HTML.
(function () {
  'use strict';
  var FEED_MAX = 200;
  var feed, funnelBody, status, gap;
  var lifts = {};            // campaign -> text, from GET /campaigns ("—" while there is none)
  var lastFunnel = [];
  var retry = 1000;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function time(ms) {
    var d = new Date(ms);
    return d.toLocaleTimeString([], {hour12: false});
  }

  function explainLink(customerId) {
    var a = el('a', 'explain', 'why');
    a.href = '/customers/' + encodeURIComponent(customerId) + '/decisions';
    a.target = '_blank';
    a.rel = 'noopener';
    return a;
  }

  // one line of the feed: when, what (kind and reason), campaign, customer, and the link to the explanation
  function item(m) {
    var li = el('li', 'item ' + m.type);
    var what;
    if (m.type === 'decision') {
      what = m.kind + (m.reason ? ' (' + m.reason + ')' : '');
      li.classList.add('kind-' + m.kind);
    } else if (m.type === 'mail') {
      // a sent mail's detail is the relay's message id: noise here; a failure's says why
      what = 'mail ' + m.state + (m.detail && m.state !== 'sent' ? ' (' + m.detail + ')' : '');
      li.classList.add('state-' + m.state);
    } else {
      what = m.kind === 'converted' ? 'converted' + (m.revenue != null ? ' ' + m.revenue + ' ' + (m.currency || '') : '')
        : 'assigned';
      what += ' [' + m.arm + ']';
    }
    li.dataset.decisionId = m.decisionId || '';
    li.dataset.type = m.type;
    li.appendChild(el('time', null, time(m.at)));
    li.appendChild(el('span', 'what', what));
    li.appendChild(el('span', 'campaign', m.campaign));
    li.appendChild(el('span', 'customer', m.customerId));
    if (m.type === 'decision' && m.latencyMillis != null) {
      li.appendChild(el('span', 'latency', m.latencyMillis + ' ms'));
    }
    if (m.customerId) li.appendChild(explainLink(m.customerId));
    return li;
  }

  function add(m) {
    feed.insertBefore(item(m), feed.firstChild);
    while (feed.childNodes.length > FEED_MAX) feed.removeChild(feed.lastChild);
  }

  function sum(map) {
    var n = 0;
    for (var k in map) if (Object.prototype.hasOwnProperty.call(map, k)) n += map[k];
    return n;
  }

  function reasons(map) {
    var parts = [];
    Object.keys(map).sort().forEach(function (k) { parts.push(k + ' ' + map[k]); });
    return parts.join(', ');
  }

  var LABELS = {triggered: 'triggered', held: 'held', suppressed: 'suppressed', holdout: 'holdout', voided: 'voided',
    mailed: 'mailed', failed: 'failed', converted: 'converted', lift: 'lift', latency: 'event → decision'};

  function cell(tr, stage, value, title) {
    var td = el('td', 'num', value);
    td.dataset.stage = stage;
    td.dataset.label = LABELS[stage];
    if (title) td.title = title;
    tr.appendChild(td);
  }

  function drawFunnel(campaigns) {
    lastFunnel = campaigns;
    var body = el('tbody');
    campaigns.forEach(function (c) {
      var tr = el('tr');
      tr.dataset.campaign = c.campaign;
      tr.appendChild(el('th', null, c.campaign));
      cell(tr, 'triggered', c.triggered);
      cell(tr, 'held', c.held);
      var suppressed = el('td', 'num');
      suppressed.dataset.stage = 'suppressed';
      suppressed.dataset.label = LABELS.suppressed;
      var box = el('div');
      box.appendChild(el('span', null, sum(c.suppressed)));
      if (sum(c.suppressed) > 0) box.appendChild(el('div', 'small', reasons(c.suppressed)));
      suppressed.appendChild(box);
      tr.appendChild(suppressed);
      cell(tr, 'holdout', c.holdout);
      cell(tr, 'voided', c.voided);
      cell(tr, 'mailed', c.mailed);
      cell(tr, 'failed', sum(c.failed), reasons(c.failed));
      cell(tr, 'converted', (c.converted.mailed || 0) + ' / ' + (c.converted.holdout || 0),
        'assigned: mailed ' + (c.assigned.mailed || 0) + ', holdout ' + (c.assigned.holdout || 0));
      cell(tr, 'lift', lifts[c.campaign] || '—');
      cell(tr, 'latency', c.latency.count === 0 ? '—'
        : c.latency.p50Millis + ' ms (' + c.latency.p95Millis + ' ms)');
      body.appendChild(tr);
    });
    funnelBody.parentNode.replaceChild(body, funnelBody);
    funnelBody = body;
  }

  function number(x) {
    return typeof x === 'number' ? (Math.abs(x) < 10 ? x.toFixed(3) : x.toFixed(1)) : String(x);
  }

  // the campaign report (GET /campaigns): each campaign's overall lift in percentage points with its 95% interval,
  // or why there is none (no-holdout, too-few is shown with its figures); "—" without a report
  function points(x) {
    return (x >= 0 ? '+' : '') + (x * 100).toFixed(2);
  }

  function liftText(c) {
    var lift = c.absoluteLift;
    if (!lift) return c.sample ? String(c.sample).toLowerCase().replace(/_/g, '-') : null;
    var text = points(lift.estimate) + ' pp [' + points(lift.low) + ', ' + points(lift.high) + ']';
    return c.sample && c.sample !== 'OK' ? text + ' (' + String(c.sample).toLowerCase().replace(/_/g, '-') + ')' : text;
  }

  function loadLifts() {
    fetch('/campaigns', {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (report) {
        lifts = {};
        (report && report.campaigns || []).forEach(function (c) {
          // the overall row of a campaign has no rules version
          var t = c.rulesVersion ? null : liftText(c);
          if (c.campaign && t) lifts[c.campaign] = t;
        });
        drawFunnel(lastFunnel);
      })
      .catch(function () { /* no report: the lift stays "—" */ });
  }

  // the shadow rules' running difference (GET /rules/shadow), shown only while shadow rules run
  function drawShadow(report) {
    var section = document.getElementById('shadow');
    if (!report || report.status !== 'running') { section.hidden = true; return; }
    section.hidden = false;
    document.getElementById('shadow-since').textContent = report.shadowVersion + ' beside ' + report.liveVersion +
      ', since ' + new Date(report.startedAt).toLocaleString([], {hour12: false});
    var body = document.querySelector('#shadow-table tbody');
    body.textContent = '';
    (report.campaigns || []).forEach(function (c) {
      var tr = el('tr');
      tr.dataset.campaign = c.campaign;
      [c.campaign, c.mailsBefore, c.mailsAfter, c.added, c.removed, c.changed, c.flag || ''].forEach(function (v) {
        tr.appendChild(el('td', null, v));
      });
      body.appendChild(tr);
    });
  }

  function loadShadow() {
    fetch('/rules/shadow', {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(drawShadow)
      .catch(function () { drawShadow(null); });
  }

  function connect() {
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/live/stream');
    var opened = false;
    ws.onopen = function () { opened = true; retry = 1000; status.textContent = 'live'; status.className = 'status on'; };
    ws.onmessage = function (e) {
      var m = JSON.parse(e.data);
      if (m.type === 'funnel') drawFunnel(m.campaigns);
      else if (m.type === 'gap') gap.textContent = '(' + m.dropped + ' messages skipped: this page fell behind)';
      else if (m.type !== 'hello') add(m);
    };
    ws.onclose = function () {
      status.className = 'status off';
      if (!opened) {
        // refused: the session may have ended; the page itself asks for a login again
        status.textContent = 'not connected: ';
        var a = el('a', null, 'log in again');
        a.href = '/login?next=%2Flive';
        status.appendChild(a);
      } else {
        status.textContent = 'reconnecting…';
      }
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }

  document.addEventListener('DOMContentLoaded', function () {
    feed = document.getElementById('feed');
    funnelBody = document.querySelector('#funnel tbody');
    status = document.getElementById('status');
    gap = document.getElementById('gap');
    loadLifts();
    setInterval(loadLifts, 10000);
    loadShadow();
    setInterval(loadShadow, 5000);
    connect();
  });
})();
