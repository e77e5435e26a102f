// Stand-in for https://static.ads-twitter.com/uwt.js (X / Twitter pixel).
// Attaches to the twq stub of the official snippet (or defines twq), replays
// its queue, and sets the first-party _twclid cookie (30 days).
// Served after prelude.js (its helpers), in one function: see tools/stand-ins.mjs.
var stub = window.twq;
var queue = stub && stub.queue ? Array.prototype.slice.call(stub.queue) : [];
var calls = [];
function exe(command, pixelId) {
  calls.push(Array.prototype.slice.call(arguments));
  if (command === 'config' || command === 'init') {
    setCookie('_twclid', readCookie('_twclid') || 'tw.' + Date.now() + '.' + randomId(), 30 * DAY);
    hit('https://analytics.twitter.com/i/adsct?txn_id=' + encodeURIComponent(String(pixelId)));
  } else if (command === 'event' || command === 'track') {
    hit('https://analytics.twitter.com/i/adsct?event=' + encodeURIComponent(String(pixelId)));
  }
}
var twq = stub || function () { twq.exe.apply(twq, arguments); };
twq.exe = exe;
twq.queue = [];
twq.version = '1.1';
twq.calls = calls;
window.twq = twq;
queue.forEach(function (args) { exe.apply(null, args); });
register('twitter');
