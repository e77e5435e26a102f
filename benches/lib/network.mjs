// Network models applied through the Chrome DevTools Protocol, and a log of
// what a page really requested (from CDP Network events, so bytes are the
// ones on the wire).

/**
 * The models a load runs under. `latency` is Network.emulateNetworkConditions'
 * `latency` (ms), `down`/`up` its throughputs in bytes per second, `cpu` the
 * Emulation.setCPUThrottlingRate factor. `null` network = no emulation.
 */
export const MODELS = {
  memory: {
    label: 'from memory',
    short: 'memory',
    network: null,
    cpu: 1,
    describe: 'no emulation: loopback, files already compressed in the server\'s memory',
  },
  '4g': {
    label: '4G model',
    short: '4G',
    // 9 Mbit/s = 9,000,000 bit/s, both ways.
    network: { latency: 50, down: 9e6 / 8, up: 9e6 / 8 },
    cpu: 1,
    describe: 'CDP latency 50 ms, download and upload 9 Mbit/s (1,125,000 B/s), no CPU slowdown',
  },
  lighthouse: {
    label: 'Lighthouse mobile model',
    short: 'LH mobile',
    // Lighthouse 12's mobileSlow4G figures (rttMs 150, throughputKbps
    // 1.6 × 1024, upload 750 Kbps, CPU ×4), converted to bytes per second the
    // way Lighthouse converts Kbps for CDP (× 1024 / 8).
    network: { latency: 150, down: (1.6 * 1024 * 1024) / 8, up: (750 * 1024) / 8 },
    cpu: 4,
    describe: 'CDP latency 150 ms, download 1.6 × 1024 Kbit/s (209,715 B/s), upload 750 Kbit/s (96,000 B/s), CPU slowed 4× (Emulation.setCPUThrottlingRate)',
  },
};

/** Applies `model` to the page behind `cdp` (Network must be enabled). */
export async function applyModel(cdp, model) {
  if (model.network) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: model.network.latency,
      downloadThroughput: model.network.down,
      uploadThroughput: model.network.up,
    });
  }
  if (model.cpu !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: model.cpu });
}

const header = (headers, name) => {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === name) return v;
  return undefined;
};

/**
 * Records every request of the page behind `cdp` (call before navigating;
 * enables the Network domain). `entries()` returns one object per request:
 * url, type, status, encoding (Content-Encoding), mime, fromCache, headerBytes
 * (response headers as received), bodyBytes (body bytes on the wire, i.e.
 * still compressed), failed.
 */
export async function networkLog(cdp) {
  const byId = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    // A redirect reuses the request id: keep the final hop only.
    byId.set(e.requestId, { url: e.request.url, type: e.type, status: 0, headerBytes: 0, totalBytes: 0, done: false });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = byId.get(e.requestId);
    if (!r) return;
    r.status = e.response.status;
    r.encoding = header(e.response.headers, 'content-encoding') ?? 'identity';
    r.mime = e.response.mimeType;
    r.fromCache = Boolean(e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker);
    r.headerBytes = e.response.encodedDataLength ?? 0;
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const r = byId.get(e.requestId);
    if (r) r.fromCache = true;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = byId.get(e.requestId);
    if (!r) return;
    r.totalBytes = e.encodedDataLength;
    r.done = true;
  });
  cdp.on('Network.loadingFailed', (e) => {
    const r = byId.get(e.requestId);
    if (r) r.failed = e.errorText;
  });
  await cdp.send('Network.enable');
  return {
    entries: () =>
      [...byId.values()].map((r) => ({
        ...r,
        bodyBytes: Math.max(0, r.totalBytes - r.headerBytes),
      })),
  };
}
