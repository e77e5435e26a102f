// The stand-in prelude: what every stand-in in this folder shares (its own
// src and params, cookie and storage helpers, hits, registration in
// window.__standins). It is not a stand-in: tools/stand-ins.mjs serves each
// stand-in as one script, this prelude followed by the stand-in's own code
// inside one strict-mode function, so each still loads alone, in any order,
// as the real vendor script does.
var script = document.currentScript;
var src = script && script.src ? script.src : '';
var params = new URL(src || location.href, location.href).searchParams;
// Served from the vendor's real URL through a test's routing? Then it also
// sends its hits to the vendor's hosts (which the test routes); served from
// /stand-ins/ (the offline demo) it never touches the network.
var viaVendorHost = !!src && new URL(src).origin !== location.origin;

function readCookie(name) {
  var parts = document.cookie ? document.cookie.split('; ') : [];
  for (var i = 0; i < parts.length; i++) {
    var eq = parts[i].indexOf('=');
    if (parts[i].slice(0, eq) === name) return parts[i].slice(eq + 1);
  }
  return null;
}
// Like GA's cookie_domain 'auto': the broadest domain the browser accepts
// (www.shop.test -> .shop.test), host-only for IPs and single-label hosts.
function setCookie(name, value, maxAgeSeconds) {
  var base = '; path=/; max-age=' + maxAgeSeconds + '; SameSite=Lax';
  var host = location.hostname;
  if (host.indexOf('.') > 0 && !/^[0-9.]+$/.test(host) && host.indexOf(':') < 0) {
    var labels = host.split('.');
    for (var i = labels.length - 2; i >= 0; i--) {
      var domain = '.' + labels.slice(i).join('.');
      document.cookie = name + '=' + value + '; domain=' + domain + base;
      if (readCookie(name) === value) return domain;
    }
  }
  document.cookie = name + '=' + value + base;
  return readCookie(name) === value ? location.hostname : null;
}
function setLocal(key, value) {
  try { localStorage.setItem(key, value); } catch (e) { /* storage blocked */ }
}
function hit(url) {
  (window.__standinHits = window.__standinHits || []).push(url);
  if (viaVendorHost) new Image().src = url;
}
function register(id, extra) {
  var entry = { id: id, src: src };
  if (extra) for (var k in extra) entry[k] = extra[k];
  (window.__standins = window.__standins || []).push(entry);
  window.dispatchEvent(new CustomEvent('standin:loaded', { detail: id }));
}
function randomId() { return Math.floor(Math.random() * 2147483647); }
function nowSeconds() { return Math.floor(Date.now() / 1000); }
var DAY = 86400;
