// A stand-in third-party script: run as <script type="module" src="…?name">
// it records `name`; each query string is a separate module, so it runs again.
(window.__ran = window.__ran || []).push(new URL(import.meta.url).search.slice(1));
export function trackerUrl() { return import.meta.url.split('?')[0]; }
