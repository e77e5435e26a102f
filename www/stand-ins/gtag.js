// Stand-in for https://www.googletagmanager.com/gtag/js?id=G-…|AW-… (Google tag).
// Like the real one it reads gtag() commands from window.dataLayer, and only
// entries that are Arguments objects (what gtag() pushes) count as commands:
// an Array pushed by mistake is ignored, as gtag.js ignores it. Consent Mode
// is honoured: no cookies while analytics_storage / ad_storage is denied.
// Cookies: G-… -> _ga, _ga_<ID> (2 years); AW-… -> _gcl_au (90 days).
// Served after prelude.js (its helpers), in one function: see tools/stand-ins.mjs.
var tagId = params.get('id') || '';
var service = /^AW-/.test(tagId) ? 'google-ads' : 'google-analytics';
var dataLayer = (window.dataLayer = window.dataLayer || []);

var state = window.__standinGtag;
if (!state) {
  state = window.__standinGtag = { defaults: {}, updates: {}, configs: [], commands: [], ignored: 0 };
  var granted = function (type) {
    var v = type in state.updates ? state.updates[type] : state.defaults[type];
    return v === undefined || v === 'granted';
  };
  var configure = function (target) {
    if (/^G-/.test(target)) {
      if (granted('analytics_storage')) {
        var ga = readCookie('_ga') || 'GA1.1.' + randomId() + '.' + nowSeconds();
        setCookie('_ga', ga, 730 * DAY);
        setCookie('_ga_' + target.slice(2), 'GS1.1.' + nowSeconds() + '.1.0.' + nowSeconds() + '.0.0.0', 730 * DAY);
        hit('https://www.google-analytics.com/g/collect?v=2&tid=' + target + '&cid=' + ga.split('.').slice(2).join('.') + '&en=page_view');
      } else {
        hit('https://www.google-analytics.com/g/collect?v=2&tid=' + target + '&gcs=G100&en=page_view');
      }
    } else if (/^AW-/.test(target)) {
      if (granted('ad_storage')) {
        setCookie('_gcl_au', readCookie('_gcl_au') || '1.1.' + randomId() + '.' + nowSeconds(), 90 * DAY);
      }
    }
  };
  var process = function (entry) {
    if (Object.prototype.toString.call(entry) !== '[object Arguments]') {
      if (Array.isArray(entry)) state.ignored++;
      return;
    }
    var args = Array.prototype.slice.call(entry);
    state.commands.push(args);
    if (args[0] === 'consent' && (args[1] === 'default' || args[1] === 'update') && args[2]) {
      var into = args[1] === 'default' ? state.defaults : state.updates;
      for (var k in args[2]) if (k !== 'region' && k !== 'wait_for_update') into[k] = args[2][k];
      if (args[1] === 'update') state.configs.forEach(configure);
    } else if (args[0] === 'config' && typeof args[1] === 'string') {
      if (state.configs.indexOf(args[1]) < 0) state.configs.push(args[1]);
      configure(args[1]);
    }
  };
  var push = dataLayer.push;
  dataLayer.push = function () {
    var result = push.apply(dataLayer, arguments);
    for (var i = 0; i < arguments.length; i++) process(arguments[i]);
    return result;
  };
  for (var i = 0; i < dataLayer.length; i++) process(dataLayer[i]);
}
register(service, { tagId: tagId, consent: { defaults: state.defaults, updates: state.updates } });
