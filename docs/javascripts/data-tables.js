// Data page: filter and sort the tables rendered at build time (<!-- data:data-table -->).
// Glue only: it hides, shows and reorders rows; every value was written by the build.
document$.subscribe(() => {
  for (const box of document.querySelectorAll(".mle-data-table")) {
    const table = box.querySelector("table.mle-sortable");
    const filter = box.querySelector("input.mle-filter");
    const wrap = box.querySelector("input.mle-wrap");
    const count = box.querySelector(".mle-row-count");
    if (!table || box.dataset.bound) continue;
    box.dataset.bound = "true";
    const body = table.tBodies[0];
    const rows = [...body.rows];

    filter?.addEventListener("input", () => {
      const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const row of rows) {
        const text = row.textContent.toLowerCase();
        const match = words.every((word) => text.includes(word));
        row.hidden = !match;
        if (match) shown += 1;
      }
      if (count) count.textContent = `${shown} of ${rows.length} rows shown`;
    });

    // A cell too long for its column ends in an ellipsis (data-tables.css): its whole text
    // on demand, for every cell at once, or as the tooltip of the cell under the pointer.
    wrap?.addEventListener("change", () => box.classList.toggle("mle-wrapped", wrap.checked));
    body.addEventListener("pointerover", (event) => {
      const cell = event.target.closest?.("td");
      if (cell && !cell.title && cell.scrollWidth > cell.clientWidth) cell.title = cell.textContent;
    });

    const headers = [...table.tHead.rows[0].cells];
    headers.forEach((header, column) => {
      header.querySelector("button.mle-sort")?.addEventListener("click", () => {
        const ascending = header.getAttribute("aria-sort") !== "ascending";
        for (const other of headers) other.removeAttribute("aria-sort");
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const key = (row) => row.cells[column].textContent.trim();
        const numeric = rows.every((row) => key(row) === "" || !Number.isNaN(Number(key(row))));
        const compare = numeric
          ? (a, b) => (Number(key(a) || -Infinity) - Number(key(b) || -Infinity))
          : (a, b) => key(a).localeCompare(key(b));
        rows.sort((a, b) => (ascending ? compare(a, b) : compare(b, a)));
        body.append(...rows);
      });
    });
  }
});
