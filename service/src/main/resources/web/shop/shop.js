// The demo shop's pages: a product list, product pages, a cart and a checkout, all drawn from /shop/products.json.
// Everything the shopper does goes to Nudge through nudge.js: page views, product views, the cart (as the shop's
// data layer event cartUpdated), the sign-in (identify) and the order.
(function () {
  'use strict';
  var CART = 'shop.cart';
  var main = document.getElementById('main');

  // randomUUID needs a secure context: a page opened by the machine's address over http has none
  function shortId() {
    return window.crypto && crypto.randomUUID ? crypto.randomUUID().slice(0, 8) : Math.random().toString(36).slice(2, 10);
  }

  function cart() {
    try {
      var c = JSON.parse(localStorage.getItem(CART));
      if (c && c.cartId && Array.isArray(c.items)) {
        return c;
      }
    } catch (e) {
      // a cart that does not read is a new cart
    }
    return {cartId: 'cart-' + shortId(), items: []};
  }

  function saveCart(c) {
    localStorage.setItem(CART, JSON.stringify(c));
    document.getElementById('cart-link').textContent = 'Cart (' + count(c) + ')';
    // the shop's data layer says the cart changed; nudge.js listens for this event and sends the whole cart
    window.dispatchEvent(new CustomEvent('cartUpdated', {detail: c}));
  }

  function count(c) {
    return c.items.reduce(function (n, i) { return n + i.quantity; }, 0);
  }

  function money(x) {
    return x.toFixed(2) + ' EUR';
  }

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  function productUrl(p) {
    return location.origin + '/shop/product/' + encodeURIComponent(p.productId);
  }

  // absolute, as a mail needs it: the picture the shop serves itself
  function imageUrl(p) {
    return location.origin + p.image;
  }

  function list(products) {
    document.title = 'Products · Nudge demo shop';
    var ul = el('ul', null, {'class': 'products'});
    products.forEach(function (p) {
      var li = el('li');
      li.appendChild(el('a', p.name, {href: productUrl(p), id: 'product-' + p.productId}));
      li.appendChild(el('div', money(p.price)));
      ul.appendChild(li);
    });
    main.replaceChildren(el('h2', 'Products'), ul);
    nudge.page('Products');
  }

  function product(products, id) {
    var p = products.find(function (x) { return x.productId === id; });
    if (!p) {
      main.replaceChildren(el('p', 'No such product.'));
      return;
    }
    document.title = p.name + ' · Nudge demo shop';
    var add = el('button', 'Add to cart', {id: 'add-to-cart'});
    add.addEventListener('click', function () {
      var c = cart();
      var line = c.items.find(function (i) { return i.productId === p.productId; });
      if (line) {
        line.quantity += 1;
      } else {
        c.items.push({productId: p.productId, name: p.name, price: p.price, currency: p.currency, quantity: 1,
          url: productUrl(p), imageUrl: imageUrl(p), category: p.category});
      }
      saveCart(c);
      add.textContent = 'Added (' + (line ? line.quantity : 1) + ' in the cart)';
    });
    main.replaceChildren(el('h2', p.name), el('img', null, {src: p.image, alt: p.name, width: '160', height: '160'}),
      el('p', money(p.price)), add);
    nudge.page('Product', {product_id: p.productId});
    nudge.track('Product Viewed', {product_id: p.productId, name: p.name, price: p.price, currency: p.currency,
      url: productUrl(p), image_url: imageUrl(p), category: p.category});
  }

  function cartPage() {
    document.title = 'Cart · Nudge demo shop';
    var c = cart();
    var table = el('table');
    c.items.forEach(function (i) {
      var tr = el('tr');
      tr.appendChild(el('td', i.name));
      tr.appendChild(el('td', '× ' + i.quantity));
      tr.appendChild(el('td', money(i.price * i.quantity)));
      var remove = el('button', 'Remove');
      remove.addEventListener('click', function () {
        c.items = c.items.filter(function (x) { return x.productId !== i.productId; });
        saveCart(c);
        cartPage();
      });
      tr.appendChild(el('td')).appendChild(remove);
      table.appendChild(tr);
    });
    var checkout = el('a', 'Checkout', {href: '/shop/checkout', id: 'checkout'});
    main.replaceChildren(el('h2', 'Your cart'), c.items.length ? table : el('p', 'The cart is empty.'),
      c.items.length ? checkout : el('span'));
    nudge.page('Cart');
  }

  function checkoutPage() {
    document.title = 'Checkout · Nudge demo shop';
    var c = cart();
    var total = c.items.reduce(function (s, i) { return s + i.price * i.quantity; }, 0);
    var pay = el('button', 'Place order', {id: 'place-order'});
    pay.addEventListener('click', function () {
      nudge.checkoutCompleted({orderId: 'order-' + shortId(), cartId: c.cartId,
        total: Math.round(total * 100) / 100, currency: 'EUR', items: c.items});
      localStorage.removeItem(CART);
      main.replaceChildren(el('h2', 'Thank you'), el('p', 'Your order is placed: no cart mail for this cart.'));
    });
    main.replaceChildren(el('h2', 'Checkout'), el('p', 'Total ' + money(total)), c.items.length ? pay : el('span'));
    nudge.page('Checkout');
  }

  function signIn() {
    var form = document.getElementById('signin');
    function show() {
      var user = nudge.userId();
      document.getElementById('signin-fields').hidden = !!user;
      var shown = document.getElementById('signed-in');
      shown.hidden = !user;
      shown.textContent = user ? 'Signed in as ' + user : '';
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var email = document.getElementById('email').value.trim();
      // the e-mail is the customer id here: the shop's own customer number would do as well
      nudge.identify(email, {email: email, marketingConsent: document.getElementById('consent').checked});
      show();
    });
    show();
  }

  function showClock(clock) {
    var span = document.getElementById('clock');
    function tick() {
      span.textContent = new Date(clock()).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
    }
    tick();
    setInterval(tick, 1000);
  }

  // the run's time, which may run faster than the wall clock (nudge run's shoppers live 120 times as fast)
  Promise.all([fetch('/shop/clock').then(function (r) { return r.json(); }),
    fetch('/shop/products.json').then(function (r) { return r.json(); })]).then(function (answers) {
    var time = answers[0];
    var at = performance.now();
    var clock = function () { return time.nowMillis + (performance.now() - at) * time.speed; };
    nudge.init({now: clock});
    showClock(clock);
    signIn();
    document.getElementById('cart-link').textContent = 'Cart (' + count(cart()) + ')';
    var path = location.pathname;
    var m = path.match(/^\/shop\/product\/([^/]+)$/);
    if (m) {
      product(answers[1], decodeURIComponent(m[1]));
    } else if (path === '/shop/cart' || path.indexOf('/shop/cart/') === 0) {
      // /shop/cart/<cartId> is the link of a cart mail: this browser's cart is the one it keeps
      cartPage();
    } else if (path === '/shop/checkout') {
      checkoutPage();
    } else {
      list(answers[1]);
    }
  });
})();
