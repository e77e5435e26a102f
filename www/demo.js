// Demo storefront behaviour: cart, checkout, late-added reviews script, and
// the "What has loaded" panel. Works with or without cookiegate on the page.
// All DOM is built with createElement/textContent: no innerHTML, no inline
// styles (the demo runs under style-src 'self' and Trusted Types).
(() => {
  'use strict';
  // The page's CSP nonce: cookiegate activates a held element loading from
  // this site only when it carries the nonce (README, "Marking scripts under CSP").
  const NONCE = (document.currentScript && document.currentScript.nonce) || '';

  // The contract's default services (fallback when catalogue.json is missing).
  const DEFAULT_SERVICES = [
    ['google-tag-manager', 'Google Tag Manager', 'analytics'],
    ['google-analytics', 'Google Analytics', 'analytics'],
    ['yandex-metrica', 'Yandex Metrica', 'analytics'],
    ['google-ads', 'Google Ads', 'marketing'],
    ['google-customer-reviews', 'Google Customer Reviews', 'marketing'],
    ['facebook', 'Facebook', 'marketing'],
    ['twitter', 'X / Twitter', 'marketing'],
    ['linkedin', 'LinkedIn', 'marketing'],
    ['youtube', 'YouTube', 'social'],
    ['live-chat', 'Live chat', 'preferences'],
  ].map(([id, name, category]) => ({ id, name, category }));

  let services = DEFAULT_SERVICES;

  const $ = (id) => document.getElementById(id);
  const el = (tag, props = {}, children = []) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === 'text') node.textContent = value;
      else if (key === 'className') node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) node.append(child);
    return node;
  };
  const euro = (n) => '€' + n.toLocaleString('en-IE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  // ---------- cart and checkout (the shop's own, strictly necessary) ----------
  const CART_KEY = 'fw_cart';
  const loadCart = () => {
    try {
      const items = JSON.parse(sessionStorage.getItem(CART_KEY) || '[]');
      return Array.isArray(items) ? items : [];
    } catch {
      return [];
    }
  };
  let cart = loadCart();
  const saveCart = () => {
    try {
      sessionStorage.setItem(CART_KEY, JSON.stringify(cart));
    } catch {
      /* storage blocked: the cart still works for this page view */
    }
  };
  const renderCart = () => {
    const count = cart.reduce((n, item) => n + item.qty, 0);
    const total = cart.reduce((n, item) => n + item.qty * item.price, 0);
    const countEl = $('cart-count');
    if (countEl) countEl.textContent = String(count);
    const summary = $('cart-summary');
    if (summary) {
      summary.textContent = count === 0
        ? 'Your cart is empty.'
        : `${count} item${count === 1 ? '' : 's'}: ${cart.map((i) => `${i.qty} × ${i.name}`).join(', ')}. Total ${euro(total)}.`;
    }
  };

  function setUpShop() {
    for (const button of document.querySelectorAll('.add-to-cart')) {
      button.addEventListener('click', () => {
        const { sku, name, price } = button.dataset;
        const line = cart.find((i) => i.sku === sku);
        if (line) line.qty += 1;
        else cart.push({ sku, name, price: Number(price), qty: 1 });
        saveCart();
        renderCart();
        button.textContent = 'Added ✓';
        setTimeout(() => { button.textContent = 'Add to cart'; }, 1200);
      });
    }
    const checkout = $('checkout');
    const status = $('checkout-status');
    if (checkout && status) {
      checkout.addEventListener('click', () => {
        const orderId = 'FW-' + String(Date.now()).slice(-6);
        const count = cart.reduce((n, item) => n + item.qty, 0);
        const total = cart.reduce((n, item) => n + item.qty * item.price, 0);
        status.textContent = count
          ? `Order placed: ${orderId}, ${count} item${count === 1 ? '' : 's'}, ${euro(total)}. Thank you!`
          : `Order placed: ${orderId} (demo order). Thank you!`;
        const gtins = cart.map((i) => ({ gtin: i.sku }));
        cart = [];
        saveCart();
        renderCart();
        // Google Customer Reviews opt-in, only if its script was allowed to load.
        const gapi = window.gapi;
        if (gapi && typeof gapi.load === 'function') {
          gapi.load('surveyoptin', () => {
            gapi.surveyoptin?.render({
              merchant_id: 1000001,
              order_id: orderId,
              email: 'shopper@example.com',
              delivery_country: 'NL',
              estimated_delivery_date: new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10),
              products: gtins,
            });
          });
        }
      });
    }
    renderCart();
  }

  // ---------- late-added content: more reviews plus a blocked script ----------
  const MORE_REVIEWS = [
    ['5 out of 5 stars', '★★★★★', '“The 48-port switch replaced two older ones; the 100G uplinks just work.”', 'IT manager, Lyon'],
    ['4 out of 5 stars', '★★★★☆', '“Good MTP trunks, polarity was exactly as ordered.”', 'Installer, Kraków'],
  ];
  function setUpReviews() {
    const button = $('load-reviews');
    const list = $('review-list');
    if (!button || !list) return;
    button.addEventListener('click', () => {
      for (const [label, stars, text, who] of MORE_REVIEWS) {
        list.append(el('li', { className: 'review' }, [
          el('p', { className: 'stars', 'aria-label': label, text: stars }),
          el('p', {}, [text + ' ', el('span', { className: 'reviewer', text: who })]),
        ]));
      }
      // The reviews widget waits for consent like any other tracker: it is
      // added blocked, and cookiegate must notice it (contract §2, late additions).
      const blocked = document.createElement('script');
      blocked.type = 'text/plain';
      blocked.setAttribute('data-category', 'marketing');
      blocked.setAttribute('data-service', 'google-customer-reviews');
      blocked.setAttribute('data-src', button.dataset.reviewsSrc || '/stand-ins/platform.js');
      blocked.nonce = NONCE;
      document.body.append(blocked);
      button.disabled = true;
      button.textContent = 'All reviews loaded';
    }, { once: true });
  }

  // ---------- the "What has loaded" panel ----------
  async function loadCatalogueServices() {
    const tag = document.querySelector('script[data-catalogue]');
    let url = tag?.getAttribute('data-catalogue');
    if (!url) return;
    try {
      // With data-languages cookiegate fetched one catalogue.<lang>.json (every
      // one lists the same services): read that file again, not the full one.
      if (tag.hasAttribute('data-languages') && window.cookiegate?.ready) {
        await window.cookiegate.ready.catch(() => {});
        const used = performance.getEntriesByType('resource').map((e) => e.name)
          .filter((n) => /\/catalogue(\.[A-Za-z0-9-]+)?\.json$/.test(new URL(n).pathname)).pop();
        url = used || url;
      }
      const response = await fetch(url, { cache: 'no-cache' });
      // The panel is a demo aid: it skips what cookiegate itself would refuse
      // (over 5 MiB) and never draws more rows than a catalogue may hold.
      const length = Number(response.headers.get('content-length') || 0);
      if (!response.ok || length > 5 * 1024 * 1024) return;
      const catalogue = await response.json();
      if (Array.isArray(catalogue.services) && catalogue.services.length) {
        services = catalogue.services
          .slice(0, 2000)
          .filter((s) => s && typeof s.id === 'string')
          .map((s) => ({ id: s.id, name: typeof s.name === 'string' ? s.name : s.id, category: String(s.category ?? '') }));
        refreshPanel();
      }
    } catch {
      /* no dist/ yet, or invalid JSON: keep the contract's default list */
    }
  }

  function loadedServices() {
    const ids = new Set((window.__standins || []).map((entry) => entry && entry.id));
    // Elements cookiegate gives a src to (iframes, pixels) count as loaded too.
    for (const node of document.querySelectorAll('iframe[data-service][src], img[data-service][src]')) {
      if (node.getAttribute('src')) ids.add(node.getAttribute('data-service'));
    }
    return ids;
  }

  function cookieNames() {
    try {
      return document.cookie ? document.cookie.split('; ').map((c) => c.split('=')[0]).sort() : [];
    } catch {
      return ['(cookies blocked)'];
    }
  }

  function storageKeys() {
    try {
      return Object.keys(localStorage).sort();
    } catch {
      return ['(localStorage blocked)'];
    }
  }

  function consentSummary() {
    const cg = window.cookiegate;
    if (!cg) return 'cookiegate is not loaded (is dist/ built?)';
    let record = null;
    try {
      record = typeof cg.getConsent === 'function' ? cg.getConsent() : null;
    } catch {
      record = null;
    }
    if (!record) return 'No choice yet';
    const on = Object.entries(record.categories || {}).filter(([, v]) => v).map(([k]) => k);
    return `Choice: ${record.method || '?'}; accepted: ${on.length ? on.join(', ') : 'none'}`;
  }

  let lastSignature = '';
  function refreshPanel() {
    const body = $('standin-panel-body');
    if (!body) return;
    const loaded = loadedServices();
    const cookies = cookieNames();
    const keys = storageKeys();
    const consent = consentSummary();
    const fallback = loaded.has('cookieless-fallback');
    const signature = JSON.stringify([services.map((s) => s.id), [...loaded].sort(), cookies, keys, consent]);
    if (signature === lastSignature) return; // rebuild only on change: no flicker
    lastSignature = signature;

    const rows = services.map((s) => {
      const isLoaded = loaded.has(s.id);
      return el('tr', {}, [
        el('th', { scope: 'row', text: s.name }),
        el('td', { text: s.category }),
        el('td', {}, [el('span', { className: isLoaded ? 'badge badge-loaded' : 'badge badge-blocked', text: isLoaded ? 'loaded' : 'blocked' })]),
      ]);
    });
    const list = (items, empty) => items.length
      ? el('ul', { className: 'name-list' }, items.map((n) => el('li', {}, [el('code', { text: n })])))
      : el('p', { className: 'muted', text: empty });

    body.replaceChildren(
      el('p', { className: 'consent-line', text: consent }),
      el('table', { className: 'service-table' }, [
        el('thead', {}, [el('tr', {}, [
          el('th', { scope: 'col', text: 'Service' }),
          el('th', { scope: 'col', text: 'Category' }),
          el('th', { scope: 'col', text: 'Status' }),
        ])]),
        el('tbody', {}, rows),
      ]),
      el('p', { className: 'fallback-line', text: `Cookieless fallback (!marketing): ${fallback ? 'ran' : 'not run'}` }),
      el('h3', { text: `Cookies (${cookies.length})` }),
      list(cookies, 'No cookies.'),
      el('h3', { text: `localStorage keys (${keys.length})` }),
      list(keys, 'No keys.'),
    );
  }

  function setUpPanel() {
    if (!$('standin-panel-body')) return;
    for (const type of ['standin:loaded', 'cookiegate:consent', 'cookiegate:ready']) {
      window.addEventListener(type, () => setTimeout(refreshPanel, 0));
    }
    setInterval(refreshPanel, 1000);
    refreshPanel();
    loadCatalogueServices();
  }

  const start = () => {
    setUpShop();
    setUpReviews();
    setUpPanel();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
})();
