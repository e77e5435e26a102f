// Stand-in for https://apis.google.com/js/platform.js (Google Customer
// Reviews loader). Defines a gapi stub: gapi.load('surveyoptin'|'ratingbadge',
// cb) and gapi.surveyoptin.render(options), which records the options (the
// real module sends the shopper's e-mail and order id to Google on render)
// and shows a small opt-in box. Calls ?onload=<function name> once loaded.
// Sets no first-party cookies.
// Served after prelude.js (its helpers), in one function: see tools/stand-ins.mjs.
var gapi = (window.gapi = window.gapi || {});
gapi.rendered = gapi.rendered || [];
function renderBox(kind, options) {
  gapi.rendered.push({ kind: kind, options: options });
  hit('https://apis.google.com/_/' + kind + '?merchant_id=' + encodeURIComponent(String(options && options.merchant_id)));
  var box = document.createElement('aside');
  box.className = 'standin-gcr';
  box.setAttribute('aria-label', 'Google Customer Reviews');
  var text = document.createElement('p');
  text.textContent = kind === 'surveyoptin'
    ? 'Google Customer Reviews (stand-in): would you like to rate your order ' + ((options && options.order_id) || '') + '?'
    : 'Google Customer Reviews badge (stand-in)';
  box.appendChild(text);
  var close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'No thanks';
  close.addEventListener('click', function () { box.remove(); });
  box.appendChild(close);
  document.body.appendChild(box);
}
gapi.surveyoptin = { render: function (options) { renderBox('surveyoptin', options); } };
gapi.ratingbadge = { render: function (container, options) { renderBox('ratingbadge', options); } };
gapi.load = function (name, callback) {
  setTimeout(function () {
    if (typeof callback === 'function') callback();
    else if (callback && typeof callback.callback === 'function') callback.callback();
  }, 0);
};
register('google-customer-reviews');
var onload = params.get('onload');
if (onload && /^[A-Za-z_$][\w$]*$/.test(onload) && typeof window[onload] === 'function') {
  setTimeout(function () { window[onload](); }, 0);
}
