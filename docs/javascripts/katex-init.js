// Render the maths of a page (pymdownx.arithmatex, generic mode) with the self-hosted
// KaTeX, after every page load including Material's instant navigation. KaTeX's script
// (about 270 KB) is loaded only by a page that has maths: evaluating it costs every
// other page a main-thread task of some 70 ms on a slow machine.

const KATEX_URL = new URL("../assets/katex/katex.min.js", document.currentScript.src).href;
let katexLoaded = null;

function loadKatex() {
  katexLoaded ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = KATEX_URL;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${KATEX_URL}`));
    document.head.append(script);
  });
  return katexLoaded;
}

document$.subscribe(async () => {
  const elements = document.querySelectorAll(".arithmatex");
  if (elements.length === 0) return;
  await loadKatex();
  for (const element of elements) {
    const text = element.textContent.trim();
    const display = text.startsWith("\\[");
    const source = text.replace(/^\\[([]/, "").replace(/\\[)\]]$/, "");
    katex.render(source, element, { displayMode: display, throwOnError: false });
  }
});
