// Render the maths of a page (pymdownx.arithmatex, generic mode) with the self-hosted
// KaTeX, after every page load including Material's instant navigation.
document$.subscribe(() => {
  if (typeof katex === "undefined") return;
  for (const element of document.querySelectorAll(".arithmatex")) {
    const text = element.textContent.trim();
    const display = text.startsWith("\\[");
    const source = text.replace(/^\\[([]/, "").replace(/\\[)\]]$/, "");
    katex.render(source, element, { displayMode: display, throwOnError: false });
  }
});
