// Fills the "Cite this page" boxes (sitebuild/renderers/cite.py): the date the reader
// accesses the page, from the reader's clock, and, when the build was given no deployed
// address, the address the reader sees. Bound through Material's document$, so it runs
// after instant navigation too.

function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function fillCitations() {
  for (const box of document.querySelectorAll(".mle-cite")) {
    if (box.dataset.url === "reader") {
      box.querySelector(".mle-cite-url").textContent = location.origin + location.pathname;
    }
    box.querySelector(".mle-cite-accessed").textContent = `; accessed ${today()}`;
  }
}

if (window.document$) window.document$.subscribe(fillCitations);
else fillCitations();
