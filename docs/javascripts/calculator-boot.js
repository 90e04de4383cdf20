// Starts the calculator's Web Worker (calculator-worker.js) as early as a page allows.
//
// The calculator and Project pages load this module from a
// <script type="module" async data-pyodide=... > that the site build puts before their
// form, so that the runtime's downloads begin while the rest of the page still loads;
// calculator.js then takes that worker (takeWorker). The element's data attributes give
// the runtime's addresses, relative to the site's root, and the limits of the start:
//   data-pyodide, data-wheel, data-snapshot, data-wasm: Pyodide's folder, the wheel, the
//   snapshot, Pyodide's compressed WebAssembly module;
//   data-runtime-cache: the Cache Storage cache the worker keeps the runtime in;
//   data-stall-ms: how long a download may send nothing; data-start-ms: the whole start.
// It only moves addresses: it computes and formats nothing.

const SITE_ROOT = new URL("../", import.meta.url);
const WORKER_URL = new URL("calculator-worker.js", import.meta.url);

// The start's settings, from the element that carries them (null if there is none).
export function runtimeSettings(element = document.querySelector("[data-pyodide]")) {
  if (!element) return null;
  const { pyodide, wheel, snapshot, wasm, runtimeCache, stallMs, startMs } = element.dataset;
  return {
    indexURL: new URL(pyodide, SITE_ROOT).href,
    wheelURL: new URL(wheel, SITE_ROOT).href,
    snapshotURL: snapshot ? new URL(snapshot, SITE_ROOT).href : null,
    wasmURL: new URL(wasm, SITE_ROOT).href,
    cacheName: runtimeCache ?? null,
    stallMs: Number(stallMs),
    startMs: Number(startMs),
  };
}

// True if two settings start the same runtime (the same Pyodide, wheel and snapshot).
export function sameRuntime(one, other) {
  const keys = ["indexURL", "wheelURL", "snapshotURL", "wasmURL"];
  return keys.every((key) => one[key] === other[key]);
}

// A started worker: its messages and errors wait in `queue` until a listener takes it
// (listen); `settled` resolves once it has said "ready" or "failed", or failed to run.
export function startWorker(settings) {
  const { indexURL, wheelURL, snapshotURL, wasmURL, cacheName, stallMs } = settings;
  const name = JSON.stringify({ indexURL, wheelURL, snapshotURL, wasmURL, cacheName, stallMs });
  const worker = new Worker(WORKER_URL, { type: "module", name }); // its settings
  const booted = { worker, settings, queue: [], listener: null };
  booted.settled = new Promise((resolve) => {
    booted.settle = resolve;
  });
  const deliver = (kind, event) => {
    if (kind === "error" || ["ready", "failed"].includes(event.data?.type)) booted.settle();
    if (booted.listener) booted.listener(kind, event);
    else booted.queue.push([kind, event]);
  };
  worker.onmessage = (event) => deliver("message", event);
  worker.onerror = (event) => {
    event.preventDefault();
    deliver("error", event);
  };
  return booted;
}

// Hand the worker's messages and errors, queued ones first, to `listener(kind, event)`.
export function listen(booted, listener) {
  booted.listener = listener;
  for (const [kind, event] of booted.queue.splice(0)) listener(kind, event);
}

const settings = runtimeSettings();
let early = settings ? startWorker(settings) : null;
const earlySettled = early ? early.settled : Promise.resolve();

// The worker this module started for the page it was loaded by, if its settings are
// `wanted`'s (the same runtime); once only.
export function takeWorker(wanted) {
  const booted = early;
  early = null;
  const same = booted && sameRuntime(booted.settings, wanted);
  if (booted && !same) booted.worker.terminate();
  return same ? booted : null;
}

// Resolves once the page's calculator has started or failed to (at once on a page
// without one): the service worker is registered after it, so that its downloads never
// compete with the calculator's.
export function runtimeSettled() {
  return earlySettled;
}
