// The site's service worker: the site offline, and a repeat visit without the network.
// The build (sitebuild/hooks/offline.py) serves it as sw.js at the site's root, below
// BUILD: this build's id, each precached address with its content hash, and the
// calculator runtime's addresses.
//
// * Installing, it caches every page and its assets (BUILD.precache) in a cache of this
//   build, each checked against its hash; a file an earlier build cached with the same
//   hash is copied from there instead of downloaded.
// * The runtime (Pyodide, the engine's wheel and snapshot) is cached by the calculator's
//   worker when a page first loads it, in BUILD.runtimeCache; its addresses carry their
//   content's hash. A visitor who never opens the calculator never downloads it.
// * A request is answered from these caches, or else from the network; a page is found
//   whatever its query (a calculator permalink), and offline an unknown page gets the
//   404 page.
// * A new build's worker waits until no page of the old build is open (no skipWaiting),
//   then deletes the old build's cache and the runtime files the new build does not
//   list: a page and the engine it runs are always of the same build.

const SCOPE = self.registration.scope;
const PAGES_CACHE = `mle-pages-${BUILD.id}`;
const HASH_HEADER = "X-Content-Hash";
const NOT_FOUND = "404.html";

const absolute = (address) => new URL(address, SCOPE).href;

async function hashOf(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return hex.slice(0, BUILD.hashChars);
}

// The response to cache for `address`: an earlier build's copy if its hash is `hash`, else
// the network's (revalidated, then reloaded if the HTTP cache held another version).
async function verified(address, hash) {
  const url = absolute(address);
  const old = await caches.match(url);
  if (old?.headers.get(HASH_HEADER) === hash) return old;
  for (const cache of ["no-cache", "reload"]) {
    const response = await fetch(url, { cache });
    if (!response.ok) throw new Error(`${address}: HTTP ${response.status}`);
    const body = await response.arrayBuffer();
    if ((await hashOf(body)) === hash) {
      const headers = new Headers(response.headers);
      headers.delete("Content-Encoding"); // the body is decoded already
      headers.delete("Content-Length");
      headers.set(HASH_HEADER, hash);
      return new Response(body, { status: 200, statusText: "OK", headers });
    }
  }
  throw new Error(`${address}: the server has another version than this build's`);
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(PAGES_CACHE);
    await Promise.all(Object.entries(BUILD.precache).map(async ([address, hash]) => {
      await cache.put(absolute(address), await verified(address, hash));
    }));
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("mle-pages-") && name !== PAGES_CACHE) await caches.delete(name);
    }
    // a runtime file is kept if this build lists it, and so is what the calculator's
    // worker derives from it (a compressed file decoded: the address and a suffix)
    const runtime = await caches.open(BUILD.runtimeCache);
    const listed = BUILD.runtime.map(absolute);
    for (const request of await runtime.keys()) {
      if (!listed.some((url) => request.url.startsWith(url))) await runtime.delete(request);
    }
    await self.clients.claim();
  })());
});

// The cache key of a request: a precached page's address without its query.
function keyOf(request) {
  const url = new URL(request.url);
  const address = url.pathname.slice(new URL(SCOPE).pathname.length);
  const page = address === "" ? "./" : address;
  return Object.hasOwn(BUILD.precache, page) ? absolute(page) : request;
}

async function respond(request) {
  const key = keyOf(request);
  const cached = (await (await caches.open(PAGES_CACHE)).match(key))
    ?? (await (await caches.open(BUILD.runtimeCache)).match(key));
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch (error) {
    if (request.mode !== "navigate") throw error;
    const missing = await (await caches.open(PAGES_CACHE)).match(absolute(NOT_FOUND));
    if (!missing) throw error;
    return new Response(missing.body, { status: 404, headers: missing.headers });
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  event.respondWith(respond(request));
});
