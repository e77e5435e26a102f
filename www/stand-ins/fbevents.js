// Stand-in for https://connect.facebook.net/en_US/fbevents.js (Meta Pixel).
// Attaches to the fbq stub of the official snippet (or defines fbq), replays
// its queue, honours fbq('consent', 'revoke'|'grant'), and on init sets the
// first-party _fbp cookie (90 days).
// Served after prelude.js (its helpers), in one function: see tools/stand-ins.mjs.
var stub = window.fbq;
var queue = stub && stub.queue ? Array.prototype.slice.call(stub.queue) : [];
var pixels = [];
var revoked = false;
var calls = [];
function ensureFbp() {
  if (revoked || readCookie('_fbp')) return;
  var value = 'fb.0.' + Date.now() + '.' + randomId();
  var domain = setCookie('_fbp', value, 90 * DAY);
  // The middle number counts the labels of the domain the cookie is on.
  if (domain) setCookie('_fbp', 'fb.' + (domain.replace(/^\./, '').split('.').length - 1) + value.slice(4), 90 * DAY);
}
function callMethod(command) {
  var args = Array.prototype.slice.call(arguments);
  calls.push(args);
  if (command === 'consent') {
    revoked = args[1] === 'revoke';
    if (!revoked && pixels.length) ensureFbp();
  } else if (command === 'init') {
    pixels.push(String(args[1]));
    ensureFbp();
  } else if ((command === 'track' || command === 'trackCustom') && !revoked) {
    pixels.forEach(function (id) {
      hit('https://www.facebook.com/tr?id=' + encodeURIComponent(id) + '&ev=' + encodeURIComponent(args[1]));
    });
  }
}
var fbq = stub || function () { fbq.callMethod.apply(fbq, arguments); };
fbq.callMethod = callMethod;
fbq.queue = [];
fbq.loaded = true;
fbq.version = '2.0';
fbq.calls = calls;
window.fbq = fbq;
if (!window._fbq) window._fbq = fbq;
queue.forEach(function (args) { callMethod.apply(null, args); });
register('facebook');
