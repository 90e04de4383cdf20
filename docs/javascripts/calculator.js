// Glue of the calculator and Project pages (loaded on every page, active where
// #mle-form or #mle-project is).
//
// It moves JSON between the form and the Python engine, which runs in a module Web
// Worker (calculator-worker.js); it never computes or formats an estimate. Results
// arrive as HTML escaped by Python, messages as text. Bound through Material's
// document$, so it works after instant navigation too.

import {
  listen, runtimeSettings, sameRuntime, startWorker, takeWorker,
} from "./calculator-boot.js";

const DEBOUNCE_MS = 30;
const ANNOUNCE_MS = 1000; // screen readers hear the estimate once typing pauses

// What the note above a result that no longer matches the form says.
const STALE = {
  input: "Showing the last valid estimate: correct the highlighted input to update it.",
  link:
    "Showing the estimate of the example inputs: correct the highlighted inputs of this " +
    "link to see its estimate.",
};

const STATUS = {
  loading: "Loading the live calculator (Python in your browser)… The estimate shown is for the example inputs.",
  link: "Loading the live calculator to open the link… The estimate shown is for the example inputs until then.",
  ready: "Live calculator ready: the estimate updates as you type.",
  unavailable: (error) =>
    `the live calculator is unavailable (${error}), so there is no report of the inputs ` +
    "shown; the command line gives it: ml-emissions estimate --format ...",
  failed: (error) =>
    `The live calculator could not start (${error}). The estimate shown is for the example ` +
    "inputs; the command line gives the same results: ml-emissions estimate.",
};

// The worker, started by the first calculator page of the visit (calculator-boot.js starts
// it as the page loads) and kept for the next ones (instant navigation), so that coming
// back needs no second start. A failed worker, or one of another build's runtime, is
// replaced by the next calculator page.
class Runtime {
  // booted: a worker from calculator-boot.js, with its settings (the runtime's addresses,
  // and startMs: how long the whole start may last before it fails).
  constructor(booted) {
    this.state = "loading";
    this.error = "";
    this.view = null; // the page view told about state changes
    this.pending = new Map(); // request id -> reply callback
    this.nextId = 1;
    this.settings = booted.settings;
    this.worker = booted.worker;
    listen(booted, (kind, event) => {
      if (kind === "message") this.receive(event.data);
      else this.fail(event.message || "the worker script did not run");
    });
    const { startMs } = booted.settings;
    this.watchdog = setTimeout(() => {
      if (this.state === "loading") {
        this.fail(`it did not start within ${Math.round(startMs / 1000)} s`);
      }
    }, startMs);
  }

  // True if this runtime runs the engine `settings` asks for.
  runs(settings) {
    return sameRuntime(this.settings, settings);
  }

  receive(data) {
    if (data.type === "ready") {
      clearTimeout(this.watchdog);
      this.state = "ready";
      this.startMs = data.ms; // diagnostics: how long Python took to start
      this.view?.runtimeChanged();
    } else if (data.type === "failed") {
      this.fail(data.error);
    } else if (data.progress !== undefined) {
      this.pending.get(data.id)?.(data); // how far a long request is; its reply follows
    } else {
      const reply = this.pending.get(data.id);
      this.pending.delete(data.id);
      reply?.(data);
    }
  }

  fail(error) {
    clearTimeout(this.watchdog);
    this.state = "failed";
    this.error = error;
    this.worker.terminate();
    for (const reply of this.pending.values()) reply({ error });
    this.pending.clear();
    this.view?.runtimeChanged();
  }

  // Send one request; returns its id.
  request(method, argument, reply) {
    const id = this.nextId++;
    this.pending.set(id, reply);
    this.worker.postMessage({ id, method, argument });
    return id;
  }
}

let runtime = null;
let view = null;

// The runtime of the page's form: the one running, if it runs this page's engine; else
// the worker calculator-boot.js started, or a new one.
function startRuntime() {
  const settings = runtimeSettings();
  if (runtime && runtime.state !== "failed" && runtime.runs(settings)) return;
  if (runtime && runtime.state !== "failed") runtime.worker.terminate();
  runtime = new Runtime(takeWorker(settings) ?? startWorker(settings));
}

// Make the children of `target` those of `source` (a parsed fragment), changing only
// what differs. A recalculation mostly changes numbers, not structure: updating text and
// attributes in place spares the browser the style and layout of a whole new panel
// (tens of milliseconds on a slow machine), and keeps focus. A node of another kind or
// tag, or an element with other attribute names, is replaced whole.
function morph(target, source) {
  let have = target.firstChild;
  let want = source.firstChild;
  while (want) {
    const nextWant = want.nextSibling;
    if (!have) {
      target.append(want);
    } else {
      const nextHave = have.nextSibling;
      if (have.nodeType !== want.nodeType || have.nodeName !== want.nodeName) {
        target.replaceChild(want, have);
      } else if (have.nodeType !== Node.ELEMENT_NODE) {
        if (have.nodeValue !== want.nodeValue) have.nodeValue = want.nodeValue;
      } else {
        const names = want.getAttributeNames(); // strings: cheaper than Attr nodes
        if (!sameNames(have.getAttributeNames(), names)) {
          target.replaceChild(want, have);
        } else {
          for (const name of names) {
            const value = want.getAttribute(name);
            if (have.getAttribute(name) !== value) have.setAttribute(name, value);
          }
          if (have.firstChild || want.firstChild) morph(have, want);
        }
      }
      have = nextHave;
    }
    want = nextWant;
  }
  while (have) {
    const extra = have;
    have = have.nextSibling;
    extra.remove();
  }
}

function sameNames(names, wanted) {
  return names.length === wanted.length && names.every((name, i) => name === wanted[i]);
}

// One showing of the calculator page.
class CalculatorView {
  constructor(form) {
    this.form = form;
    this.parameters = new Set(form.dataset.parameters.split(" "));
    this.status = form.querySelector("#mle-status");
    this.formError = form.querySelector("#form-error");
    // a provider's picker for each field listed by provider (cloud region, instance)
    this.pickers = [...form.querySelectorAll("select[data-picks]")].map((provider) => {
      const field = form.elements.namedItem(provider.dataset.picks);
      const groups = [...field.querySelectorAll("optgroup")].map((g) => g.cloneNode(true));
      return { provider, field, groups };
    });
    this.result = document.getElementById("mle-result");
    this.summary = document.getElementById("mle-summary"); // the headline, above the form
    this.summaryFigures = document.getElementById("mle-summary-figures");
    this.stale = document.getElementById("mle-stale");
    // the permalink of the estimate shown: the engine's query, relative to the page
    this.permalink = document.getElementById("mle-permalink");
    this.linkStatus = document.getElementById("mle-link-status");
    this.linkText = document.getElementById("mle-link-text");
    this.announcer = document.getElementById("mle-announce");
    this.announceTimer = 0;
    this.exportStatus = document.getElementById("mle-export-status");
    this.exportText = document.getElementById("mle-export-text");
    this.exportBox = document.getElementById("mle-exports");
    this.exports = JSON.parse(this.exportBox.dataset.exports); // reports of the estimate shown
    this.shownQuery = ""; // permalink query of the estimate shown, once Python made it
    this.link = location.search.length > 1 ? location.search : ""; // a permalink to open
    this.latest = 0; // id of the latest request: replies to older ones are stale
    this.dirty = false; // the form changed before Python was ready
    this.timer = 0;
    this.disposed = false;

    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("input", (event) => this.changed(event.target));
    this.exportBox.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-export]");
      if (button) this.export(button);
    });
    this.showLink(this.permalink.getAttribute("href"));
    // "Skip to the estimate" and the summary's link: focus the estimate's heading here.
    // Material's instant navigation would take them for links to the page as it was
    // loaded (it makes every link absolute), losing the query of the estimate shown.
    const heading = document.getElementById("estimate");
    for (const link of document.querySelectorAll(".mle-skip a, a.mle-summary-link")) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        heading.focus({ preventScroll: true });
        heading.scrollIntoView({ block: "start" });
      });
    }
    // A heading's permanent link (¶): its fragment, on the address of the estimate shown.
    for (const link of document.querySelectorAll(".md-content a.headerlink")) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        location.hash = new URL(link.href).hash;
      });
    }
    document.getElementById("mle-copy-link").addEventListener("click", (event) => {
      deliver(event.currentTarget, this.permalink.href, this.linkStatus, this.linkText);
    });
    for (const picker of this.pickers) this.syncPicker(picker);
    this.applyModes();

    startRuntime(form);
    runtime.view = this;
    this.runtimeChanged();
  }

  dispose() {
    this.disposed = true;
    clearTimeout(this.timer);
    clearTimeout(this.announceTimer);
    if (runtime?.view === this) runtime.view = null;
  }

  say(state, text) {
    this.status.dataset.state = state;
    this.status.textContent = text;
  }

  runtimeChanged() {
    if (runtime.state === "loading") {
      this.say("loading", this.link ? STATUS.link : STATUS.loading);
    } else if (runtime.state === "failed") {
      this.say("failed", STATUS.failed(runtime.error));
    } else {
      this.say("ready", STATUS.ready);
      this.status.dataset.startMs = runtime.startMs;
      if (this.link) this.send("calculate_query", this.link, true);
      else if (this.dirty) this.recalculate();
    }
  }

  // An idle worker gets the change at once; a busy one, the last change of a burst.
  changed(target) {
    const picker = this.pickers.find((p) => p.provider === target);
    if (picker) this.syncPicker(picker);
    if (target.type === "radio") this.applyModes();
    clearTimeout(this.timer);
    if (runtime.state === "ready" && runtime.pending.size === 0) this.recalculate();
    else this.timer = setTimeout(() => this.recalculate(), DEBOUNCE_MS);
  }

  recalculate() {
    this.link = ""; // the visitor's own inputs replace those of a link
    if (runtime.state !== "ready") {
      this.dirty = true;
      return;
    }
    this.dirty = false;
    this.send("calculate", JSON.stringify(this.values()), false);
  }

  send(method, argument, fromLink) {
    this.link = "";
    const id = runtime.request(method, argument, (data) => this.receive(id, data, fromLink));
    this.latest = id;
  }

  // The inputs sent to Python: enabled fields named like a parameter, if not empty.
  values() {
    const values = {};
    for (const [name, value] of new FormData(this.form)) {
      if (this.parameters.has(name) && value.trim() !== "") values[name] = value;
    }
    return values;
  }

  receive(id, data, fromLink) {
    if (this.disposed || id !== this.latest) return; // stale
    if (data.error !== undefined) {
      this.clearErrors();
      this.showFormError(`The calculator failed: ${data.error}`);
    } else if (data.result.ok) {
      this.showResult(data.result, fromLink);
    } else {
      this.showErrors(data.result, fromLink);
    }
  }

  showResult(reply, fromLink) {
    if (fromLink) this.fill(reply.params);
    this.clearErrors();
    const parsed = document.createElement("template"); // inert: nothing runs or loads
    parsed.innerHTML = reply.html; // escaped by Python
    morph(this.result, parsed.content);
    parsed.innerHTML = reply.summary; // escaped by Python
    morph(this.summaryFigures, parsed.content);
    this.exports = null; // asked for when the visitor copies or downloads one
    this.shownQuery = reply.query;
    this.showLink(`?${reply.query}`);
    const pue = this.form.elements.namedItem("pue");
    if (pue.placeholder !== reply.pue.value) pue.placeholder = reply.pue.value;
    // The address bar after the result: the browser takes about 2 ms to update history.
    setTimeout(() => {
      if (!this.disposed) this.setQuery(reply.query); // not on a page navigated to since
    });
    clearTimeout(this.announceTimer);
    this.announceTimer = setTimeout(() => {
      this.announcer.textContent = reply.announcement;
    }, ANNOUNCE_MS);
  }

  // Every invalid field at once, next to its field. A permalink's inputs stay in the
  // form, the valid ones and the marked ones alike, and the address bar keeps the link
  // until the visitor changes something.
  showErrors(reply, fromLink) {
    this.clearErrors();
    if (fromLink && reply.params) this.fill(reply.params, true);
    for (const { field, message } of reply.errors) {
      const control = this.form.elements.namedItem(field);
      const slot = document.getElementById(`${field}-error`);
      if (control && !control.disabled && slot) {
        slot.textContent = message;
        slot.hidden = false;
        control.setAttribute("aria-invalid", "true");
      } else {
        this.showFormError(fromLink ? `This link could not be opened: ${message}.` : message);
      }
    }
    this.stale.textContent = fromLink ? STALE.link : STALE.input;
    this.stale.hidden = false; // the estimate shown is the last valid one
    this.summary.dataset.stale = "";
  }

  showFormError(message) {
    this.formError.textContent = message;
    this.formError.hidden = false;
  }

  clearErrors() {
    for (const slot of this.form.querySelectorAll(".mle-error:not([hidden])")) {
      slot.textContent = "";
      slot.hidden = true;
    }
    for (const control of this.form.querySelectorAll("[aria-invalid]")) {
      control.removeAttribute("aria-invalid");
    }
    this.stale.hidden = true;
    delete this.summary.dataset.stale;
  }

  // Show the permalink `href` ("?" and the engine's query of the estimate shown) as the
  // full address the browser resolves it to: what "Copy link" copies.
  showLink(href) {
    if (this.permalink.getAttribute("href") !== href) this.permalink.setAttribute("href", href);
    const address = this.permalink.href;
    if (this.permalink.textContent !== address) this.permalink.textContent = address;
    this.linkStatus.textContent = ""; // what was copied is another estimate's link
    this.linkText.hidden = true;
  }

  setQuery(query) {
    const url = new URL(location.href);
    url.search = query;
    history.replaceState(history.state, "", url);
  }

  // Show the inputs of a permalink (as checked by Python): the example form, then the
  // link's choices; an optional field or a chosen alternative it leaves out is empty, and
  // with `exact` (a link with errors, whose inputs are shown as they are) every text
  // field it leaves out.
  fill(params, exact = false) {
    this.form.reset();
    for (const radio of this.form.querySelectorAll('input[type="radio"]')) {
      if (Object.hasOwn(params, radio.value)) radio.checked = true;
    }
    for (const picker of this.pickers) {
      const value = params[picker.field.name];
      const group = picker.groups.find((g) =>
        [...g.querySelectorAll("option")].some((option) => option.value === value),
      );
      if (group) picker.provider.value = group.dataset.provider;
      this.syncPicker(picker);
    }
    for (const name of this.parameters) {
      const control = this.form.elements.namedItem(name);
      if (!control) continue;
      const chosen = this.form.querySelector(`input[type="radio"][value="${name}"]`)?.checked;
      if (Object.hasOwn(params, name)) control.value = params[name];
      else if ("optional" in control.dataset || chosen) control.value = "";
      else if (exact && control.tagName === "INPUT") control.value = "";
    }
    this.applyModes();
  }

  // Show the chosen provider's regions (or instance types) only.
  syncPicker({ provider, field, groups }) {
    const current = field.value;
    const group = groups.find((g) => g.dataset.provider === provider.value);
    field.replaceChildren(...group.cloneNode(true).children);
    field.value = current;
    if (field.selectedIndex < 0) field.selectedIndex = 0;
  }

  // Show and enable the fields of each checked alternative (a field's data-mode lists
  // the alternatives it belongs to), hide and disable the others.
  applyModes() {
    for (const field of this.form.querySelectorAll(".mle-field[data-group]")) {
      const mode = this.form.elements.namedItem(`mode-${field.dataset.group}`).value;
      const active = field.dataset.mode.split(" ").includes(mode);
      field.hidden = !active;
      for (const control of field.querySelectorAll("input, select")) control.disabled = !active;
    }
  }

  // The reports of the estimate shown: Python makes them on the first export asked for.
  // Without a live calculator, the prerendered example's reports are given only while
  // the form still shows the example: never another estimate's inputs beside them.
  reports() {
    if (runtime.state === "failed" && (this.dirty || this.link)) {
      return Promise.reject(new Error(STATUS.unavailable(runtime.error)));
    }
    if (this.exports) return Promise.resolve(this.exports);
    if (runtime.state !== "ready") return Promise.reject(new Error(runtime.error));
    const query = this.shownQuery;
    return new Promise((resolve, reject) => {
      runtime.request("exports_query", query, ({ result, error }) => {
        if (error !== undefined || !result.ok) reject(new Error(error ?? "no reports"));
        else {
          if (this.shownQuery === query) this.exports = result.exports;
          resolve(result.exports);
        }
      });
    });
  }

  async export(button) {
    let text;
    try {
      text = (await this.reports())[button.dataset.export];
    } catch (error) {
      this.exportStatus.textContent = `No export: ${error.message}.`;
      return;
    }
    await deliver(button, text, this.exportStatus, this.exportText);
  }
}

// Copy or download an export's text; `status` says what happened, `fallback` shows the
// text selected when the browser blocks the clipboard.
async function deliver(button, text, status, fallback) {
  if (button.dataset.action === "download") {
    const url = URL.createObjectURL(new Blob([text], { type: button.dataset.type }));
    const link = document.createElement("a");
    link.href = url;
    link.download = button.dataset.filename;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    status.textContent = `Downloaded ${button.dataset.filename}.`;
    return;
  }
  const what = button.textContent.replace(/^Copy /, "");
  try {
    await navigator.clipboard.writeText(text);
    fallback.hidden = true;
    status.textContent = `Copied to the clipboard: ${what}.`;
  } catch {
    fallback.value = text;
    fallback.hidden = false;
    fallback.select();
    status.textContent = `The browser blocked the clipboard: the ${what} text is selected below, copy it with Ctrl+C.`;
  }
}

const PROJECT_STORE = "mle-project"; // localStorage: the jobs and options, kept on reload
const PROJECT_OPTIONS = ["location", "gpu-map", "partition-map", "cpu-watts-per-cpu", "final"];
const PROJECT_DEBOUNCE_MS = 300;
const PROJECT_LINK_CHARS = 8000; // the longest link browsers and servers all accept

// One showing of the Project page: the jobs live in the textarea (a table of jobs) and in
// localStorage; a file's text and the jobs travel to Python as JSON, and Python's escaped
// HTML comes back. Nothing is uploaded: the worker runs in this page.
class ProjectView {
  constructor(form) {
    this.form = form;
    this.table = form.elements.namedItem("table");
    this.status = form.querySelector("#mle-project-status");
    this.formError = form.querySelector("#form-error");
    this.report = form.querySelector("#mle-import-report");
    this.result = document.getElementById("mle-project-result");
    this.announcer = document.getElementById("mle-project-announce");
    this.exportStatus = document.getElementById("mle-project-export-status");
    this.exportText = document.getElementById("mle-project-export-text");
    this.latest = 0;
    this.timer = 0;
    this.dirty = false;
    this.disposed = false;
    this.restore();
    form.addEventListener("submit", (event) => event.preventDefault());
    this.table.addEventListener("input", () => this.changed());
    for (const name of PROJECT_OPTIONS) {
      form.elements.namedItem(name).addEventListener("input", () => this.save());
    }
    form.elements.namedItem("file").addEventListener("change", (event) => {
      const [file] = event.target.files;
      if (file) this.importFile(file);
    });
    const drop = form.querySelector("#mle-drop");
    drop.addEventListener("dragover", (event) => event.preventDefault());
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      const [file] = event.dataTransfer.files;
      if (file) this.importFile(file);
    });
    form.querySelector("#mle-project-example").addEventListener("click", () => {
      this.table.value = form.dataset.example;
      this.changed();
    });
    form.querySelector("#mle-project-clear").addEventListener("click", () => {
      this.table.value = "";
      this.changed();
    });
    // a job's Duplicate and Remove buttons (in the result's table of jobs) edit its line
    this.result.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-job-action]");
      if (button) this.editLine(button.dataset.jobAction, Number(button.dataset.line));
    });
    document.getElementById("mle-project-exports").addEventListener("click", (event) => {
      const button = event.target.closest("button[data-export]");
      if (button) this.export(button);
    });
    startRuntime(form);
    runtime.view = this;
    this.runtimeChanged();
  }

  dispose() {
    this.disposed = true;
    clearTimeout(this.timer);
    if (runtime?.view === this) runtime.view = null;
  }

  // Duplicate (below it) or remove line `line` of the table of jobs (1 is its header).
  editLine(action, line) {
    const lines = this.table.value.replace(/\n$/, "").split("\n");
    if (!(line >= 2 && line <= lines.length)) return;
    if (action === "duplicate") lines.splice(line, 0, lines[line - 1]);
    else if (action === "remove") lines.splice(line - 1, 1);
    this.table.value = lines.join("\n") + "\n";
    this.changed();
  }

  restore() {
    const linked = new URLSearchParams(location.search).get("jobs");
    if (linked !== null) { // a link to a small project: its jobs, not the saved ones
      this.table.value = linked;
      this.dirty = true;
      return;
    }
    let saved = null;
    try {
      saved = JSON.parse(localStorage.getItem(PROJECT_STORE) ?? "null");
    } catch {
      saved = null; // unreadable: the example stays
    }
    if (!saved || typeof saved.table !== "string") return;
    this.table.value = saved.table;
    for (const name of PROJECT_OPTIONS) {
      if (typeof saved.options?.[name] === "string") {
        this.form.elements.namedItem(name).value = saved.options[name];
      }
    }
    this.dirty = true; // the saved jobs, not the example shown
  }

  options() {
    return Object.fromEntries(
      PROJECT_OPTIONS.map((name) => [name, this.form.elements.namedItem(name).value]),
    );
  }

  save() {
    try {
      localStorage.setItem(PROJECT_STORE,
                           JSON.stringify({ table: this.table.value, options: this.options() }));
    } catch {
      this.status.textContent = "This browser does not keep the jobs: download them to keep them.";
    }
  }

  runtimeChanged() {
    if (runtime.state === "loading") {
      this.status.dataset.state = "loading";
      this.status.textContent = "Loading the live project (Python in your browser)…";
    } else if (runtime.state === "failed") {
      this.status.dataset.state = "failed";
      this.status.textContent = `The live project could not start (${runtime.error}); ` +
        "the command line gives the same results: ml-emissions project FILE.";
    } else {
      this.status.dataset.state = "ready";
      this.status.textContent = "Ready: the project updates as you edit the jobs.";
      if (this.dirty) this.send({ table: this.table.value });
    }
  }

  changed() {
    this.save();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (runtime.state === "ready") this.send({ table: this.table.value });
      else this.dirty = true;
    }, PROJECT_DEBOUNCE_MS);
  }

  async importFile(file) {
    const text = await file.text();
    if (runtime.state !== "ready") {
      this.showError("file", "The live project is not ready yet: try again in a moment.");
      return;
    }
    this.report.textContent = `Reading ${file.name}…`;
    // the file's jobs are added to the jobs there are; they replace the untouched example
    const table = this.table.value === this.form.dataset.example ? "" : this.table.value;
    this.send({ table, import: text, kind: "auto", options: this.options() });
  }

  send(request) {
    this.dirty = false;
    const id = runtime.request("project", JSON.stringify(request), (data) => this.receive(id, data));
    this.latest = id;
  }

  receive(id, { result, error, progress }) {
    if (this.disposed || id !== this.latest) return; // stale
    if (progress !== undefined) {
      this.report.textContent = progress;
      return;
    }
    this.clearErrors();
    if (error !== undefined) {
      this.showError("form", `The project failed: ${error}`);
      return;
    }
    if (!result.ok) {
      for (const { field, message } of result.errors) this.showError(field, message);
      this.report.textContent = "";
      return;
    }
    if (result.import.summary) {
      this.table.value = result.table;
      this.save();
      const problems = result.import.problems;
      this.report.textContent = result.import.summary +
        (problems.length ? `: ${problems.join("; ")}` : ".");
    }
    const parsed = document.createElement("template"); // inert: nothing runs or loads
    parsed.innerHTML = result.html; // escaped by Python
    morph(this.result, parsed.content);
    this.announcer.textContent = result.announcement;
  }

  showError(field, message) {
    const slot = document.getElementById(`${field}-error`) ?? this.formError;
    slot.textContent = message;
    slot.hidden = false;
    this.form.elements.namedItem(field)?.setAttribute("aria-invalid", "true");
  }

  clearErrors() {
    for (const slot of this.form.querySelectorAll(".mle-error:not([hidden])")) {
      slot.textContent = "";
      slot.hidden = true;
    }
    for (const control of this.form.querySelectorAll("[aria-invalid]")) {
      control.removeAttribute("aria-invalid");
    }
  }

  export(button) {
    if (button.dataset.export === "link") {
      const url = new URL(location.href);
      url.search = new URLSearchParams({ jobs: this.table.value }).toString();
      if (url.href.length > PROJECT_LINK_CHARS) {
        this.exportStatus.textContent = "These jobs are too many for a link: download them " +
          "instead (Download the jobs), and open the file here again.";
        return;
      }
      deliver(button, url.href, this.exportStatus, this.exportText);
      return;
    }
    if (button.dataset.export === "jobs") {
      deliver(button, this.table.value, this.exportStatus, this.exportText);
      return;
    }
    if (runtime.state !== "ready") {
      this.exportStatus.textContent = "No export until the live project is ready.";
      return;
    }
    runtime.request("project_exports", JSON.stringify({ table: this.table.value }),
                    ({ result, error }) => {
      if (error !== undefined || !result.ok) {
        this.exportStatus.textContent = `No export: ${error ?? result.errors[0].message}.`;
      } else {
        deliver(button, result.exports[button.dataset.export], this.exportStatus,
                this.exportText);
      }
    });
  }
}

function mount() {
  view?.dispose();
  view = null;
  const form = document.getElementById("mle-form");
  if (form) view = new CalculatorView(form);
  const project = document.getElementById("mle-project");
  if (project) view = new ProjectView(project);
}

if (window.document$) window.document$.subscribe(mount);
else mount();
