// How recorded-sdk-requests.json was made: the real @segment/analytics-node 3.1.0 and @rudderstack/rudder-sdk-node
// 3.0.13, pointed at a local server that writes down what they send (npm install both, then node record.js).
// Records the HTTP requests the real Segment and RudderStack Node libraries send, for Nudge's replay tests.
const http = require('http');
const fs = require('fs');
const { Analytics } = require('@segment/analytics-node');
const RudderAnalytics = require('@rudderstack/rudder-sdk-node');
const recorded = [];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    recorded.push({ method: req.method, path: req.url, headers: req.headers, bodyBase64: Buffer.concat(chunks).toString('base64') });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"success":true}');
  });
});
server.listen(0, '127.0.0.1', async () => {
  const host = 'http://127.0.0.1:' + server.address().port;
  const seg = new Analytics({ writeKey: 'segment-write-key-0123456789', host, maxEventsInBatch: 10, flushInterval: 100 });
  seg.identify({ userId: 'ana', traits: { email: 'ana@example.com', firstName: 'Ana', marketingConsent: true, tier: 'vip' } });
  seg.track({ userId: 'ana', event: 'Product Viewed', properties: { product_id: 'shoe-42', name: 'Trail shoe', price: 89.9, url: 'https://shop.example/p/shoe-42' } });
  seg.track({ userId: 'ana', event: 'Cart Viewed', properties: { cart_id: 'cart-ana', products: [{ product_id: 'shoe-42', name: 'Trail shoe', price: 89.9, quantity: 1 }] } });
  seg.page({ userId: 'ana', name: 'Pricing', properties: { url: 'https://shop.example/blog/running' } });
  await seg.closeAndFlush();
  const rudder = new RudderAnalytics('rudder-write-key-0123456789', { dataPlaneUrl: host, flushAt: 10, flushInterval: 100 });
  rudder.track({ userId: 'bob', event: 'Cart Viewed', properties: { cart_id: 'cart-bob', products: [{ product_id: 'mug', name: 'Mug', price: 9, quantity: 2 }] } });
  rudder.identify({ userId: 'bob', traits: { email: 'bob@example.com', firstName: 'Bob' } });
  await new Promise(r => rudder.flush(r));
  fs.writeFileSync('recorded.json', JSON.stringify(recorded, null, 2));
  server.close();
  process.exit(0);
});
