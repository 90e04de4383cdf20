// Registers the site's service worker (sw.js at the site's root: the site offline and
// installable, see service-worker.js) once the page has loaded and, on the calculator and
// Project pages, once the live calculator has started, so that the service worker's
// downloads never slow the calculator's own. updateViaCache "none": the browser looks
// for a new sw.js on every visit, so a new build is found at once.

import { runtimeSettled } from "./calculator-boot.js";

if ("serviceWorker" in navigator) {
  const register = async () => {
    await runtimeSettled();
    const script = new URL("../sw.js", import.meta.url);
    await navigator.serviceWorker.register(script, { updateViaCache: "none" });
  };
  const registered = () => register().catch(() => {}); // only offline use depends on it
  if (document.readyState === "complete") registered();
  else addEventListener("load", registered, { once: true });
}
