// Stand-in for https://cdn.livechatinc.com/tracking.js (LiveChat widget).
// Reads window.__lc.license, sets __lc_cid and __lc_cst (3 years) and
// localStorage __lc_visitor, defines a LiveChatWidget stub and shows a
// "Chat with us" button.
// Served after prelude.js (its helpers), in one function: see tools/stand-ins.mjs.
var config = window.__lc || {};
var visitor = readCookie('__lc_cid') || 'S' + Date.now() + '.' + randomId();
setCookie('__lc_cid', visitor, 3 * 365 * DAY);
setCookie('__lc_cst', String(randomId()), 3 * 365 * DAY);
setLocal('__lc_visitor', JSON.stringify({ id: visitor, license: config.license || null }));
hit('https://api.livechatinc.com/v3.5/customer/visit?license_id=' + encodeURIComponent(String(config.license)));
var handlers = {};
window.LiveChatWidget = {
  call: function (method) { if (method === 'maximize') openChat(); },
  on: function (name, fn) { (handlers[name] = handlers[name] || []).push(fn); },
  get: function (what) { return what === 'customer_data' ? { id: visitor } : null; },
};
var button;
var panel;
function openChat() {
  if (!panel) {
    panel = document.createElement('p');
    panel.className = 'standin-chat-panel';
    panel.setAttribute('role', 'status');
    panel.textContent = 'Live chat (stand-in): an agent would answer here.';
    button.after(panel);
  }
}
function mount() {
  button = document.createElement('button');
  button.type = 'button';
  button.className = 'standin-chat';
  button.textContent = 'Chat with us';
  button.addEventListener('click', openChat);
  document.body.appendChild(button);
}
if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount, { once: true });
register('live-chat', { license: config.license || null });
