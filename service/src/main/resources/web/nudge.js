/*
 * nudge.js: Nudge's first-party snippet. Plain JavaScript, no build step, no dependencies.
 *
 *   <script src="https://nudge.shop.example/nudge.js" data-write-key="<browser key>" async></script>
 *   nudge.identify('ana@example.com', {email: 'ana@example.com', marketingConsent: true})
 *   nudge.track('Product Viewed', {product_id: 'shoe-42', name: 'Trail shoe', price: 89.9})
 *   nudge.page()
 *   window.dispatchEvent(new CustomEvent('cartUpdated', {detail: {cartId: 'c1', items: [...]}}))
 *
 * Calls are Segment-shaped and go to Nudge's POST /v1/batch with the key in a text/plain body, as analytics.js
 * sends them, so the browser needs no preflight. They are sent in batches (every second, or at 20 calls), with a
 * beacon when the page is hidden or left, and a batch the server could not take now (network, 429, 5xx) is kept in
 * localStorage and sent again later, by this page or the next. README "Connect your shop" tells the whole contract.
 */
(function (window, document) {
  'use strict';
  if (window.nudge && window.nudge.VERSION) {
    return; // loaded twice: keep the first, with its queue
  }

  var VERSION = '1.0.0';
  var PREFIX = 'nudge.';
  var RETRY_KEY = PREFIX + 'retry';
  // a batch stays under what fetch keepalive and sendBeacon carry (64 KB) and Nudge takes per call (32 KB)
  var MAX_BATCH_BYTES = 60000;
  var MAX_CALL_BYTES = 32000;
  var MAX_RETRY_BATCHES = 50;
  var MAX_ATTEMPTS = 10;
  // Nudge refuses events more than a day behind: older retries are dropped, not sent
  var MAX_RETRY_AGE_MS = 24 * 3600 * 1000;
  // a batch another tab took for retrying is left to it this long
  var LEASE_MS = 30000;

  var script = document.currentScript;
  var config = {
    writeKey: null,
    host: script && script.src ? new URL(script.src, document.baseURI).origin : window.location.origin,
    now: function () { return Date.now(); },
    flushAt: 20,
    flushInterval: 1000
  };
  var queue = [];     // calls waiting for the next batch
  var flushTimer = null;
  var retryTimer = null;

  // --- first-party storage: localStorage, else a cookie (ids only; the retry queue needs localStorage) ---

  var local = (function () {
    try {
      var probe = PREFIX + 'probe';
      window.localStorage.setItem(probe, '1');
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // disabled, or a private window that refuses writes
    }
  })();

  function read(name) {
    if (local) {
      return local.getItem(PREFIX + name);
    }
    var m = document.cookie.match(new RegExp('(?:^|; )' + PREFIX.replace('.', '\\.') + name + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : null;
  }

  function write(name, value) {
    if (local) {
      if (value === null) { local.removeItem(PREFIX + name); } else { local.setItem(PREFIX + name, value); }
      return;
    }
    var secure = window.location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = PREFIX + name + '=' + (value === null ? '' : encodeURIComponent(value)) + '; Path=/; SameSite=Lax'
      + (value === null ? '; Max-Age=0' : '; Max-Age=31536000') + secure;
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    // pages served over plain http (not localhost) have no randomUUID: a version 4 UUID from the same randomness
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function anonymousId() {
    var id = read('anonymousId');
    if (!id) {
      id = uuid();
      write('anonymousId', id);
    }
    return id;
  }

  function iso(millis) {
    return new Date(millis).toISOString();
  }

  function now() {
    var t = config.now();
    return t instanceof Date ? t.getTime() : Number(t);
  }

  // --- calls ---

  function context() {
    var c = {
      library: {name: 'nudge.js', version: VERSION},
      page: pageProperties(),
      userAgent: navigator.userAgent,
      locale: navigator.language
    };
    try {
      c.timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (e) {
      // an old browser: Nudge then uses decisions.time-zone for this customer's quiet hours
    }
    return c;
  }

  function pageProperties() {
    var canonical = document.querySelector('link[rel="canonical"]');
    return {
      path: window.location.pathname,
      url: canonical && canonical.href ? canonical.href : window.location.href,
      title: document.title,
      referrer: document.referrer,
      search: window.location.search
    };
  }

  function enqueue(type, fields) {
    var call = {
      type: type,
      messageId: uuid(),
      anonymousId: anonymousId(),
      // the device's clock may be wrong: Nudge corrects this time by the difference between sentAt and receipt
      originalTimestamp: iso(now()),
      context: context()
    };
    var userId = read('userId');
    if (userId) {
      call.userId = userId;
    }
    for (var k in fields) {
      if (Object.prototype.hasOwnProperty.call(fields, k)) {
        call[k] = fields[k];
      }
    }
    if (JSON.stringify(call).length > MAX_CALL_BYTES) {
      warn('a ' + type + ' call over 32 KB is not sent');
      return;
    }
    queue.push(call);
    if (queue.length >= config.flushAt) {
      flush();
    } else if (!flushTimer) {
      flushTimer = setTimeout(flush, config.flushInterval);
    }
  }

  function identify(userId, traits) {
    if (userId && typeof userId === 'object') {
      traits = userId;
      userId = null;
    }
    if (userId !== null && userId !== undefined && userId !== '') {
      write('userId', String(userId));
    }
    enqueue('identify', {traits: traits || {}});
  }

  function track(event, properties) {
    if (!event) {
      warn('track needs an event name');
      return;
    }
    enqueue('track', {event: String(event), properties: properties || {}});
  }

  function page(name, properties) {
    if (name && typeof name === 'object') {
      properties = name;
      name = undefined;
    }
    var p = pageProperties();
    var extra = properties || {};
    for (var k in extra) {
      if (Object.prototype.hasOwnProperty.call(extra, k)) {
        p[k] = extra[k];
      }
    }
    var fields = {properties: p};
    if (name) {
      fields.name = String(name);
      p.name = String(name);
    }
    enqueue('page', fields);
  }

  /** A purchase: Segment's "Order Completed", which Nudge reads as CheckoutCompleted (it cancels the cart mail). */
  function checkoutCompleted(order) {
    var o = order || {};
    var p = {order_id: o.orderId, total: o.total, currency: o.currency};
    if (o.cartId) {
      p.cart_id = o.cartId;
    }
    if (o.items) {
      p.products = products(o.items);
    }
    track('Order Completed', p);
  }

  /** The whole cart as the shop's data layer has it: Nudge replaces what it knew of the cart with it. */
  function cartUpdated(cart) {
    if (!cart || !Array.isArray(cart.items)) {
      warn('a cartUpdated event needs detail.items, an array (empty for an empty cart)');
      return;
    }
    var p = {products: products(cart.items)};
    if (cart.cartId) {
      p.cart_id = String(cart.cartId);
    }
    track('Cart Updated', p);
  }

  function products(items) {
    return items.map(function (i) {
      var line = {product_id: i.productId, name: i.name, price: i.price, quantity: i.quantity === undefined ? 1 : i.quantity};
      if (i.url) { line.url = i.url; }
      if (i.imageUrl) { line.image_url = i.imageUrl; }
      if (i.currency) { line.currency = i.currency; }
      if (i.category) { line.category = i.category; }
      return line;
    });
  }

  function reset() {
    write('userId', null);
    write('anonymousId', null);
  }

  // --- sending ---

  function url() {
    return config.host.replace(/\/+$/, '') + '/v1/batch';
  }

  function body(batch, writeKey) {
    return JSON.stringify({batch: batch, sentAt: iso(now()), writeKey: writeKey});
  }

  /** Takes from the queue as many calls as fit in one request. */
  function take() {
    var batch = [];
    var bytes = 100;
    while (queue.length && batch.length < config.flushAt) {
      var size = JSON.stringify(queue[0]).length + 1;
      if (batch.length && bytes + size > MAX_BATCH_BYTES) {
        break;
      }
      bytes += size;
      batch.push(queue.shift());
    }
    return batch;
  }

  /** Sends everything queued now; resolves when the server has answered every batch. */
  function flush() {
    clearTimeout(flushTimer);
    flushTimer = null;
    if (!config.writeKey) {
      return Promise.resolve(); // init has not given a key yet: the calls wait for it
    }
    var sends = [];
    while (queue.length) {
      var batch = take();
      sends.push(send({id: uuid(), calls: batch, writeKey: config.writeKey, url: url(), attempts: 0,
        first: Date.now()}));
    }
    return Promise.all(sends);
  }

  /**
   * One batch to the server. What it cannot take now (no network, 408, 429, 5xx) is kept for a retry; what it will
   * never take (400, 401, 403, 413) is dropped, with the server's reason on the console.
   */
  function send(entry) {
    var text = body(entry.calls, entry.writeKey);
    return window.fetch(entry.url, {
      method: 'POST',
      headers: {'Content-Type': 'text/plain'},
      body: text,
      keepalive: text.length < 64000,
      credentials: 'omit'
    }).then(function (response) {
      if (response.ok) {
        forget(entry.id);
        return;
      }
      if (response.status === 408 || response.status === 429 || response.status >= 500) {
        keep(entry, retryAfter(response));
        return;
      }
      forget(entry.id);
      return response.text().then(function (t) {
        warn('Nudge refused ' + entry.calls.length + ' calls (' + response.status + '): ' + t);
      });
    }, function () {
      keep(entry, null); // offline, or the server is away
    });
  }

  function retryAfter(response) {
    var v = response.headers.get('Retry-After');
    if (!v) {
      return null;
    }
    var seconds = Number(v);
    if (!isNaN(seconds)) {
      return seconds * 1000;
    }
    var date = Date.parse(v);
    return isNaN(date) ? null : Math.max(0, date - Date.now());
  }

  // --- the retry queue, in localStorage so that the next page (or tab) sends what this one could not ---

  function retries() {
    if (!local) {
      return memoryRetries;
    }
    try {
      return JSON.parse(local.getItem(RETRY_KEY) || '[]');
    } catch (e) {
      return [];
    }
  }

  var memoryRetries = [];

  function saveRetries(list) {
    if (!local) {
      memoryRetries = list;
      return;
    }
    try {
      if (list.length) { local.setItem(RETRY_KEY, JSON.stringify(list)); } else { local.removeItem(RETRY_KEY); }
    } catch (e) {
      warn('the retry queue does not fit in localStorage: ' + e);
    }
  }

  function keep(entry, waitMillis) {
    entry.attempts += 1;
    if (entry.attempts >= MAX_ATTEMPTS || Date.now() - entry.first > MAX_RETRY_AGE_MS) {
      warn('gave up ' + entry.calls.length + ' calls after ' + entry.attempts + ' attempts');
      forget(entry.id);
      return;
    }
    // exponential backoff from 1 s to 5 min with jitter, unless the server said when (429 Retry-After)
    var backoff = Math.min(300000, 1000 * Math.pow(2, entry.attempts - 1)) * (0.75 + Math.random() / 2);
    entry.at = Date.now() + (waitMillis !== null ? waitMillis : backoff);
    var list = retries().filter(function (e) { return e.id !== entry.id; });
    list.push(entry);
    saveRetries(list.slice(-MAX_RETRY_BATCHES));
    scheduleRetry();
  }

  function forget(id) {
    var list = retries();
    var left = list.filter(function (e) { return e.id !== id; });
    if (left.length !== list.length) {
      saveRetries(left);
    }
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    var list = retries();
    if (!list.length) {
      return;
    }
    var next = Math.min.apply(null, list.map(function (e) { return e.at; }));
    retryTimer = setTimeout(retryDue, Math.max(0, next - Date.now()));
  }

  function retryDue() {
    var list = retries();
    var t = Date.now();
    var due = list.filter(function (e) { return e.at <= t; });
    // leased: another tab that reads the queue now leaves these to this one
    due.forEach(function (e) { e.at = t + LEASE_MS; });
    saveRetries(list);
    return Promise.all(due.map(send)).then(scheduleRetry);
  }

  // --- leaving the page: what is queued goes out with a beacon, which the browser sends after the page is gone ---

  function leave() {
    if (!config.writeKey) {
      return;
    }
    while (queue.length) {
      var batch = take();
      var text = body(batch, config.writeKey);
      var sent = false;
      try {
        sent = navigator.sendBeacon && navigator.sendBeacon(url(), new Blob([text], {type: 'text/plain'}));
      } catch (e) {
        sent = false;
      }
      if (!sent) {
        // no beacon (or over its quota): the next page sends it
        keep({id: uuid(), calls: batch, writeKey: config.writeKey, url: url(), attempts: 0, first: Date.now()}, 0);
      }
    }
    clearTimeout(flushTimer);
    flushTimer = null;
  }

  window.addEventListener('pagehide', leave);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') {
      leave();
    }
  });

  // --- the shop's data layer ---

  window.addEventListener('cartUpdated', function (e) { cartUpdated(e.detail); });
  window.addEventListener('checkoutCompleted', function (e) { checkoutCompleted(e.detail); });

  function warn(message) {
    if (window.console) {
      window.console.warn('nudge.js: ' + message);
    }
  }

  /**
   * Settings, all optional but the key: writeKey (a browser key of Nudge's), host (where Nudge answers; by default
   * where this script came from), now (a function giving the time in milliseconds: by default the device's clock),
   * flushAt (calls per batch, at most 20) and flushInterval (milliseconds a call may wait for others). Called again,
   * it changes what it is given.
   */
  function init(options) {
    var o = options || {};
    ['writeKey', 'host', 'now', 'flushAt', 'flushInterval'].forEach(function (k) {
      if (o[k] !== undefined && o[k] !== null) {
        config[k] = o[k];
      }
    });
    config.flushAt = Math.max(1, Math.min(20, Number(config.flushAt)));
    if (config.writeKey && queue.length && !flushTimer) {
      flushTimer = setTimeout(flush, config.flushInterval);
    }
    return api;
  }

  var api = {
    VERSION: VERSION,
    init: init,
    identify: identify,
    track: track,
    page: page,
    checkoutCompleted: checkoutCompleted,
    cartUpdated: cartUpdated,
    flush: flush,
    reset: reset,
    anonymousId: anonymousId,
    userId: function () { return read('userId'); }
  };
  window.nudge = api;

  if (script && script.dataset.writeKey) {
    init({writeKey: script.dataset.writeKey, host: script.dataset.host || undefined});
  }
  scheduleRetry();
})(window, document);
