// Stand-in for https://mc.yandex.ru/metrika/tag.js (Yandex Metrica).
// Defines window.ym, replays the ym.a queue the official snippet leaves, and
// on ym(ID, 'init', …) sets _ym_uid, _ym_d (1 year), _ym_isad (2 days),
// _ym_visorc (30 minutes, with webvisor) and localStorage _ym_uid, _ym<ID>_lsid.
// Served after prelude.js (its helpers), in one function: see tools/stand-ins.mjs.
var stub = window.ym;
var queue = stub && stub.a ? Array.prototype.slice.call(stub.a) : [];
var counters = {};
function ym(counterId, method, options) {
  ym.calls.push(Array.prototype.slice.call(arguments));
  if (method === 'init') {
    options = options || {};
    counters[counterId] = options;
    var uid = readCookie('_ym_uid') || String(nowSeconds()) + String(randomId());
    setCookie('_ym_uid', uid, 365 * DAY);
    setCookie('_ym_d', readCookie('_ym_d') || String(nowSeconds()), 365 * DAY);
    setCookie('_ym_isad', '2', 2 * DAY);
    if (options.webvisor) setCookie('_ym_visorc', 'w', 30 * 60);
    setLocal('_ym_uid', JSON.stringify(uid));
    setLocal('_ym' + counterId + '_lsid', String(randomId()));
    hit('https://mc.yandex.ru/watch/' + counterId + '?page-url=' + encodeURIComponent(location.href));
  } else if (method === 'reachGoal' || method === 'hit' || method === 'params') {
    hit('https://mc.yandex.ru/watch/' + counterId + '?' + method + '=' + encodeURIComponent(String(options)));
  }
}
ym.a = [];
ym.l = (stub && stub.l) || Date.now();
ym.calls = [];
ym.counters = counters;
window.ym = ym;
queue.forEach(function (args) { ym.apply(null, args); });
register('yandex-metrica');
