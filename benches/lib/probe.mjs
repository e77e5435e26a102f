// The in-page probe, injected with page.addInitScript before any page script.
// It records, in the page's own clock (performance.now(), 0 = navigation
// start): when the banner is first visible, when its "accept all" button is
// visible and enabled, when named elements appear ("watches"), every long task
// and layout shift, paint entries, and the time of each trusted click.
//
// With cfg.idleOnReload, a reloaded document waits for no banner.
//
// Elements are looked up in the document and in open shadow roots of the
// body's and <html>'s children (where a banner mounts its host).

export function probe(cfg) {
  // A returning-visitor reload waits for nothing: the bench asks afterwards.
  if (cfg.idleOnReload && performance.getEntriesByType('navigation')[0]?.type === 'reload') {
    cfg = { ...cfg, banner: undefined, accept: undefined };
  }
  const B = (window.__bench = {
    cfg,
    t: {},
    longtasks: [],
    shifts: [],
    clicks: [],
    watches: {},
  });
  window.__benchRan = window.__benchRan || [];
  const now = () => performance.now();

  const roots = new Set();
  function scanHosts() {
    const lists = [document.documentElement ? document.documentElement.children : [], document.body ? document.body.children : []];
    for (const list of lists) {
      for (const el of list) {
        if (el.shadowRoot && !roots.has(el.shadowRoot)) {
          roots.add(el.shadowRoot);
          if (running) mo.observe(el.shadowRoot, { subtree: true, childList: true, attributes: true });
        }
      }
    }
  }
  function q(sel) {
    const d = document.querySelector(sel);
    if (d) return d;
    for (const r of roots) {
      const e = r.querySelector(sel);
      if (e) return e;
    }
    return null;
  }
  function visible(el) {
    if (!el || !el.isConnected) return false;
    if (el.checkVisibility && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    return r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  }
  B.q = q;
  B.visible = visible;

  function check() {
    scanHosts();
    const t = now();
    if (cfg.banner && B.t.banner === undefined && visible(q(cfg.banner))) B.t.banner = t;
    if (cfg.accept && B.t.interactive === undefined) {
      const b = q(cfg.accept);
      if (b && !b.disabled && visible(b)) B.t.interactive = t;
    }
    for (const [name, w] of Object.entries(B.watches)) {
      if (w.t === undefined && visible(q(w.sel))) w.t = t;
    }
  }
  B.check = check;
  // The probe stops (no more per-frame or per-mutation work on the main
  // thread) once it has nothing left to wait for, so that it costs little in
  // the main-thread figures; watch() starts it again.
  const pending = () =>
    (cfg.banner && B.t.banner === undefined) ||
    (cfg.accept && B.t.interactive === undefined) ||
    Object.values(B.watches).some((w) => w.t === undefined);
  let running = false;
  const mo = new MutationObserver(() => {
    check();
    if (!pending()) stop();
  });
  function frame() {
    if (!running) return;
    check();
    if (pending()) requestAnimationFrame(frame);
    else stop();
  }
  function start() {
    if (running) return;
    running = true;
    mo.observe(document, { subtree: true, childList: true, attributes: true });
    for (const r of roots) mo.observe(r, { subtree: true, childList: true, attributes: true });
    requestAnimationFrame(frame);
  }
  function stop() {
    running = false;
    mo.disconnect();
  }
  /** Start watching for `sel` to become visible; its time lands in watches[name].t. */
  B.watch = (name, sel) => {
    B.watches[name] = { sel, since: now() };
    start();
    check();
  };
  if (pending()) start();

  const observe = (type, fn) => {
    try {
      new PerformanceObserver((l) => l.getEntries().forEach(fn)).observe({ type, buffered: true });
    } catch {}
  };
  observe('longtask', (e) => B.longtasks.push({ start: e.startTime, dur: e.duration }));
  observe('layout-shift', (e) => B.shifts.push({ start: e.startTime, value: e.value, input: e.hadRecentInput }));
  observe('paint', (e) => (B.t[e.name] = e.startTime));
  addEventListener('click', (e) => { if (e.isTrusted) B.clicks.push(e.timeStamp); }, true);
  addEventListener('DOMContentLoaded', () => (B.t.dcl = now()));
  addEventListener('load', () => (B.t.load = now()));
  addEventListener('cookiegate:ready', () => (B.t.ready = now()));
}
