// Module Web Worker of the calculator and Project pages: runs the Python engine (ml_emissions.web)
// in Pyodide, off the page's main thread.
//
// Protocol. The page creates the worker (calculator-boot.js) with its settings as the
// worker's name, a JSON object {indexURL, wheelURL, snapshotURL, wasmURL, cacheName,
// stallMs}: the worker starts at once, without waiting for a message (which a busy page
// would deliver late). It answers {type: "ready", ms} or {type: "failed", error}, error
// being one line. Then requests {id, method, argument}, where method is "calculate"
// (argument: the form's values as a JSON string), "calculate_query" (argument: a
// permalink's query string) or "exports_query" (argument: the query of a reply: its
// reports, asked for only when the visitor copies or downloads one), or, from the Project
// page, "project" and "project_exports" (argument: the page's jobs and a file's text as a
// JSON string), get {id, result} (the reply object of ml_emissions.web) or {id, error};
// before it, a "project" request may send {id, progress} (how far the reading is, in
// words). User input only ever travels as a string argument of a Python function: it never
// becomes Python source.
//
// With a snapshotURL (the memory of a Pyodide that has imported the engine, made at build
// time by sitebuild/hooks/calculator_wheel.py), Pyodide restores that memory instead of
// starting Python and importing the engine: several seconds less.
//
// The snapshot and Pyodide's WebAssembly module (wasmURL, fetched when Pyodide asks for
// pyodide.asm.wasm) are Brotli-compressed by the build (sitebuild/brotli_files.py): the
// worker decodes them as they arrive, with the decoder shipped in Pyodide's folder
// (brotli-dec-wasm).
//
// With a cacheName, every runtime file is taken from that Cache Storage cache if it is
// there, and put there when it is downloaded (their addresses carry their content's hash:
// see sitebuild/runtime_files.py); the two compressed files are kept decoded (at their
// address and a suffix, decodedAddress), which spares the next visit the decoding. The
// site's service worker deletes those no build of the site lists any more.

import { xorStaticData } from "./snapshot-delta.mjs";

const settings = JSON.parse(self.name);

// The browser's fetch (loadPyodide's is this worker's, watchingFetches).
const networkFetch = globalThis.fetch.bind(globalThis);

// A failure in one line: a Python traceback's last line ("KeyError: ..."), at most 200
// characters, so that the page's status line stays a line.
function oneLine(error) {
  const lines = String(error?.message ?? error).trim().split("\n");
  const last = lines.filter((line) => line.trim()).pop() ?? "unknown error";
  return last.trim().slice(0, 200);
}

// Run one stage of the start; its failure says which stage failed.
async function step(what, run) {
  try {
    return await run();
  } catch (error) {
    throw new Error(`${what}: ${oneLine(error)}`);
  }
}

// Every download may stall; none is waited for longer than this without a byte arriving
// (the worker's settings give it, from the boot script's data-stall-ms; a slow network
// still delivers bytes).
let stallMs;

// The file name of a request, for messages: ".../pyodide.asm.wasm?x" -> "pyodide.asm.wasm".
function fileName(resource) {
  return String(resource?.url ?? resource).split("/").pop().split("?")[0];
}

// A fetch that fails when the server sends nothing for stallMs: before the headers and
// between two chunks of the body.
async function fetchWithin(fetchOf, resource, options) {
  const controller = new AbortController();
  const name = fileName(resource);
  let timer = setTimeout(() => controller.abort(), stallMs);
  const rearm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), stallMs);
  };
  let response;
  try {
    response = await fetchOf(resource, { ...options, signal: controller.signal });
  } catch (error) {
    clearTimeout(timer);
    throw new Error(controller.signal.aborted ? `${name}: no answer for ${stallMs / 1000} s`
                                              : `${name}: ${oneLine(error)}`);
  }
  if (!response.body) {
    clearTimeout(timer);
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream({
    async pull(stream) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          clearTimeout(timer);
          stream.close();
        } else {
          rearm();
          stream.enqueue(value);
        }
      } catch (error) {
        clearTimeout(timer);
        stream.error(new Error(controller.signal.aborted
          ? `${name}: stalled for ${stallMs / 1000} s` : `${name}: ${oneLine(error)}`));
      }
    },
    cancel(reason) {
      clearTimeout(timer);
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText,
                              headers: response.headers });
}

// The Cache Storage cache of the runtime (null without one, or where the browser has none).
let runtimeCache = null;

// A runtime file from the cache, or else from the network (within stallMs), then cached.
async function cachedFetch(fetchOf, resource, options) {
  const url = String(resource?.url ?? resource);
  const hit = await runtimeCache?.match(url).catch(() => undefined);
  if (hit) return hit;
  const response = await fetchWithin(fetchOf, resource, options);
  if (runtimeCache && response.ok) runtimeCache.put(url, response.clone()).catch(() => {});
  return response;
}

// Where the cache keeps the decoded bytes of a compressed file at `url`.
function decodedAddress(url) {
  return url + (new URL(url).search ? "&" : "?") + "decoded";
}

// The Brotli decoder's module (brotli-dec-wasm, in Pyodide's folder), loaded once.
let decoderModule = null;

function brotliDecoder() {
  decoderModule ??= (async () => {
    const decoder = await import(new URL("brotli_dec_wasm.js", settings.indexURL).href);
    const wasm = new URL("brotli_dec_wasm_bg.wasm", settings.indexURL).href;
    await decoder.default({ module_or_path: cachedFetch(networkFetch, wasm) });
    return decoder;
  })();
  return decoderModule;
}

// At most this many decoded bytes at a time (a chunk of the decoded stream).
const DECODED_CHUNK = 1 << 20;

// The stream of bytes a Brotli-compressed `stream` was made from: it fails, naming the
// file (`name`), if its data is damaged or ends early.
async function brotliDecoded(stream, name) {
  const decoder = await brotliDecoder(); // loaded on the first need: not on a repeat visit
  const state = new decoder.DecompressStream();
  const { NeedsMoreOutput, ResultSuccess } = decoder.BrotliStreamResultCode;
  const damaged = (why) => new Error(`${name}: damaged (${why})`);
  let code = null;
  return stream.pipeThrough(new TransformStream({
    transform(chunk, output) {
      let input = chunk;
      do {
        let result;
        try {
          result = state.decompress(input, DECODED_CHUNK);
        } catch (error) {
          throw damaged(`not Brotli data: ${oneLine(error)}`);
        }
        if (result.buf.length) output.enqueue(result.buf);
        code = result.code;
        input = input.subarray(result.input_offset);
      } while (code === NeedsMoreOutput);
    },
    flush() {
      state.free();
      if (code !== ResultSuccess) throw damaged("it ends early");
    },
  }));
}

// The compressed file at `url` downloaded (within stallMs), as the stream of its decoded
// bytes; the decoder loads while the file downloads.
async function downloadDecoded(fetchOf, url) {
  brotliDecoder().catch(() => {}); // a failure is reported by brotliDecoded
  const response = await fetchWithin(fetchOf, url);
  if (!response.ok) throw new Error(`${fileName(url)}: HTTP ${response.status}`);
  return brotliDecoded(response.body, fileName(url));
}

// The decoded bytes of the compressed file at `url`, as a response of `type`: from the
// cache, or else downloaded, decoded as they arrive, and cached decoded.
async function decodedFetch(fetchOf, url, type) {
  const key = decodedAddress(url);
  const hit = await runtimeCache?.match(key).catch(() => undefined);
  if (hit) return hit;
  const body = await downloadDecoded(fetchOf, url);
  const decoded = new Response(body, { headers: { "Content-Type": type } });
  if (runtimeCache) runtimeCache.put(key, decoded.clone()).catch(() => {});
  return decoded;
}

// A copy of pyodide.asm.wasm's response, once Pyodide has fetched it: the snapshot's static
// data is stored as its XOR with the module's own (snapshot-delta.mjs), and the copy is
// read only when the snapshot must be inflated (not when it is cached inflated).
let receiveWasm;
const wasmCopy = new Promise((resolve) => {
  receiveWasm = resolve;
});

// Pyodide's start never settles when it cannot fetch one of its files or compile its
// WebAssembly (it only logs a warning, and leaves a rejection unhandled): watch its
// fetches and the worker's unhandled rejections, fail as soon as one fails, and leave
// Pyodide waiting (the page then terminates this worker).
async function watchingFetches(run) {
  const fetchOf = globalThis.fetch;
  let failed;
  const failure = new Promise((_, reject) => {
    failed = reject;
  });
  const never = new Promise(() => {});
  const unhandled = (event) => {
    event.preventDefault();
    failed(new Error(oneLine(event.reason)));
  };
  globalThis.addEventListener("unhandledrejection", unhandled);
  globalThis.fetch = async (resource, options) => {
    const module = fileName(resource).endsWith(".wasm"); // Pyodide's WebAssembly module
    const name = fileName(module ? settings.wasmURL : resource);
    try {
      const response = module
        ? await decodedFetch(fetchOf, settings.wasmURL, "application/wasm")
        : await cachedFetch(fetchOf, resource, options);
      if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
      if (module && !(await isWebAssembly(response.clone()))) {
        throw new Error(`${name}: not WebAssembly (a damaged or wrong file)`);
      }
      if (module) receiveWasm(response.clone());
      return response;
    } catch (error) {
      failed(error);
      return never;
    }
  };
  try {
    return await Promise.race([run(), failure]);
  } finally {
    globalThis.fetch = fetchOf;
    globalThis.removeEventListener("unhandledrejection", unhandled);
  }
}

// True when a response starts with WebAssembly's magic number, "\0asm".
async function isWebAssembly(response) {
  const reader = response.body.getReader();
  const { value } = await reader.read();
  reader.cancel().catch(() => {});
  const magic = [0x00, 0x61, 0x73, 0x6d];
  return !!value && value.length >= 4 && magic.every((byte, i) => value[i] === byte);
}

async function fetchBytes(url) {
  const response = await cachedFetch(networkFetch, url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// All the bytes of a stream, or its error (a Response reading it would give only "Failed
// to fetch").
async function readAll(stream) {
  const chunks = [];
  let length = 0;
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    chunks.push(read.value);
    length += read.value.length;
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

// The snapshot's memory: from the cache, or else downloaded, decoded, its static data
// restored from the module's (snapshot-delta.mjs), and cached so.
async function snapshotMemory(url) {
  const hit = await runtimeCache?.match(decodedAddress(url)).catch(() => undefined);
  if (hit) {
    wasmCopy.then((copy) => copy.body?.cancel()).catch(() => {}); // not needed
    return new Uint8Array(await hit.arrayBuffer());
  }
  const bytes = await readAll(await downloadDecoded(networkFetch, url));
  const memory = xorStaticData(bytes, await (await wasmCopy).arrayBuffer());
  runtimeCache?.put(decodedAddress(url), new Response(memory)).catch(() => {});
  return memory;
}

async function start() {
  const { indexURL, wheelURL, snapshotURL, cacheName, stallMs: limit } = settings;
  stallMs = limit;
  if (cacheName && globalThis.caches) {
    runtimeCache = await caches.open(cacheName).catch(() => null);
  }
  const started = performance.now();
  const wheel = step("downloading the calculator", () => fetchBytes(wheelURL));
  wheel.catch(() => {}); // reported below, when awaited
  const options = { indexURL };
  if (snapshotURL) {
    options._loadSnapshot = step("downloading the calculator's snapshot", () =>
      snapshotMemory(snapshotURL),
    );
    options._loadSnapshot.catch(() => {}); // reported by loadPyodide, which awaits it
  } else {
    wasmCopy.then((copy) => copy.body?.cancel()).catch(() => {}); // no snapshot: not needed
  }
  const { loadPyodide } = await step("loading the Python runtime", () =>
    import(new URL("pyodide.mjs", indexURL).href),
  );
  const pyodide = await step("starting the Python runtime", () =>
    watchingFetches(() => loadPyodide(options)),
  );
  const bytes = await wheel;
  const methods = await step("installing the calculator", () => {
    // Fixed code, no user input: where to unpack the wheel.
    const sitePackages = pyodide.runPython(
      "import sysconfig; sysconfig.get_paths()['purelib']",
    );
    pyodide.unpackArchive(bytes, "wheel", { extractDir: sitePackages });
    pyodide.pyimport("importlib").invalidate_caches();
    const web = pyodide.pyimport("ml_emissions.web");
    warmUp = web.warm_up;
    // The only Python the pages can reach: functions of a string (JSON or a query).
    // Each is given the request's text and its progress messenger, which only "project"
    // takes.
    return {
      calculate: (argument) => web.calculate(argument),
      calculate_query: (argument) => web.calculate_query(argument),
      exports_query: (argument) => web.exports_query(argument),
      project: (argument, progress) => web.project(argument, progress),
      project_exports: (argument) => web.project_exports(argument),
    };
  });
  return { methods, ms: Math.round(performance.now() - started), indexURL };
}

// Pyodide's two modules and the decoder's are imported, not fetched: put them in the cache
// too, from the browser's HTTP cache, so that the next visit starts offline.
async function cacheModules(indexURL) {
  for (const name of ["pyodide.mjs", "pyodide.asm.mjs", "brotli_dec_wasm.js"]) {
    const response = await cachedFetch(networkFetch, new URL(name, indexURL).href);
    await response.arrayBuffer();
  }
}

// Python restored from the snapshot runs slowly until WebAssembly's optimizing tier has
// compiled its hot paths, which takes a few hundred calls (see ml_emissions.web.warm_up).
// Make them once ready, one per task, so that the page's requests pass in between.
const WARM_UP_ROUNDS = 150;
let warmUp = null;

async function warmUpInTheBackground() {
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    await new Promise((resolve) => setTimeout(resolve));
    warmUp(round);
  }
}

const engine = start();
engine.then(
  ({ ms, indexURL }) => {
    postMessage({ type: "ready", ms });
    warmUpInTheBackground().catch(() => {}); // only a speed-up: a failure here is harmless
    if (runtimeCache) cacheModules(indexURL).catch(() => {}); // likewise
  },
  (error) => postMessage({ type: "failed", error: oneLine(error) }),
);

self.onmessage = async ({ data }) => {
  const { id, method, argument } = data;
  try {
    const { methods } = await engine;
    if (!Object.hasOwn(methods, method) || typeof argument !== "string") {
      throw new Error(`bad request ${JSON.stringify(method)}`);
    }
    // a long request (a Project file) says how far it is: {id, progress} messages, text
    const progress = (text) => postMessage({ id, progress: String(text) });
    postMessage({ id, result: JSON.parse(methods[method](argument, progress)) });
  } catch (error) {
    postMessage({ id, error: String(error?.message ?? error) });
  }
};
