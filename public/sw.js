// MixPay PoS service worker: the app shell from the cache, everything else
// from the network. The three lines below are filled in after each build by
// scripts/sw-precache.mjs with the exact files of that build and the SHA-256
// of each: a cached copy that differs (a script of the same origin rewrote
// the cache) is refused, dropped, and fetched from the network instead.
const VERSION = 'dev';
const PRECACHE = [];
const HASHES = {};

const SHELL = `mixpay-pos-shell-${VERSION}`;
const CONFIG = 'mixpay-pos-config';

self.addEventListener('install', (event) => {
  // `reload` bypasses the HTTP cache so the new version's files are fetched.
  event.waitUntil(
    caches.open(SHELL).then((cache) => cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'reload' })))),
  );
  // No skipWaiting here: the page switches versions when the cashier says so, never mid-sale.
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith('mixpay-pos-shell-') && key !== SHELL) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

/** config.json: the network's answer when there is one, the last one when offline. */
async function networkFirst(request) {
  const cache = await caches.open(CONFIG);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw error;
  }
}

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** The cached answer for `key` (a path of the build, './' for the shell) if its bytes are the build's. */
async function verified(cache, request, key) {
  const cached = await cache.match(request);
  if (!cached) return null;
  const want = HASHES[key];
  if (!want) return null;
  const got = hex(await crypto.subtle.digest('SHA-256', await cached.clone().arrayBuffer()));
  if (got === want) return cached;
  await cache.delete(request);
  return null;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // MixPay's API and pay pages (and anything not ours) are never cached.
  if (url.origin !== self.location.origin) return;
  const scope = new URL(self.registration.scope).pathname;
  const path = url.pathname.startsWith(scope) ? url.pathname.slice(scope.length) : null;
  if (path === 'config.json') {
    event.respondWith(networkFirst(request));
    return;
  }
  if (request.mode === 'navigate') {
    // Every page of the app is the shell: open it from the cache, even offline.
    event.respondWith(
      caches.open(SHELL).then((cache) => verified(cache, './', './')).then((cached) => cached || fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches.open(SHELL).then((cache) => verified(cache, request, path ?? '')).then((cached) => cached || fetch(request)),
  );
});
