// Nezarat's own page behaviour; every page works without it (forms post, links navigate).
"use strict";

// Inbox: one box selects every task of the page.
(() => {
  const all = document.getElementById("select-all");
  if (!all) return;
  all.addEventListener("change", () => {
    document.querySelectorAll('input[name="task"]').forEach((box) => { box.checked = all.checked; });
  });
})();

// Task form (and the form builder's preview, drawn later): add and remove rows of a repeating table
// (names are "<table>.<row>.<column>"), within the table's least and most rows (data-min-rows, -max-rows).
(() => {
  const renumber = (tbody) => {
    tbody.querySelectorAll("tr").forEach((tr, i) => {
      const cell = tr.querySelector(".rownum");
      if (cell) cell.textContent = (i + 1).toLocaleString(document.documentElement.lang === "fa" ? "fa-IR" : "en");
    });
  };
  const clear = (row) => row.querySelectorAll("[name]").forEach((el) => { if (el.tagName === "SELECT") el.selectedIndex = 0; else el.value = ""; });
  const addRow = (button) => {
    const table = button.parentElement.querySelector(`table[data-table="${button.dataset.table}"]`);
    const tbody = table.tBodies[0];
    if (table.dataset.maxRows && tbody.rows.length >= Number(table.dataset.maxRows)) return;
    const last = tbody.rows[tbody.rows.length - 1];
    const next = Math.max(-1, ...[...tbody.querySelectorAll("[name]")].map((el) => Number(el.name.split(".")[1]))) + 1;
    const row = last.cloneNode(true);
    row.querySelectorAll("[name]").forEach((el) => {
      const parts = el.name.split(".");
      el.name = `${parts[0]}.${next}.${parts[2]}`;
      el.id = `f-${parts[0]}-${next}-${parts[2]}`;
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
    clear(row);
    row.querySelectorAll(".field-error").forEach((el) => el.remove());
    tbody.appendChild(row);
    renumber(tbody);
  };
  const removeRow = (button) => {
    const tbody = button.closest("tbody");
    const least = Math.max(1, Number(button.closest("table").dataset.minRows || 1));
    if (tbody.rows.length > least) button.closest("tr").remove(); else clear(button.closest("tr"));
    renumber(tbody);
  };
  document.addEventListener("click", (event) => {
    const add = event.target.closest("button.add-row");
    if (add) addRow(add);
    const remove = event.target.closest("button.remove-row");
    if (remove) removeRow(remove);
  });
})();

// Task page: the process diagram (bpmn-js viewer) with the current step and the done ones marked.
(async () => {
  const holder = document.getElementById("diagram");
  if (!holder || typeof window.BpmnJS !== "function") return;
  const response = await fetch(holder.dataset.url, { credentials: "same-origin" });
  if (!response.ok) return;
  const { xml, done, active, failed = [] } = await response.json();
  if (document.fonts) await document.fonts.load("12px Vazirmatn");  // labels are measured at import
  const viewer = new window.BpmnJS({
    container: holder,
    textRenderer: { defaultStyle: { fontFamily: "Vazirmatn, Tahoma, sans-serif", fontSize: 12 } },
  });
  await viewer.importXML(xml);
  const canvas = viewer.get("canvas");
  const registry = viewer.get("elementRegistry");
  const mark = (ids, cls) => ids.filter((id) => registry.get(id)).forEach((id) => canvas.addMarker(id, cls));
  mark(done, "done");
  mark(active, "active");
  mark(failed, "failed");  // the instance page: where an incident stopped the case
  canvas.zoom("fit-viewport", "auto");
  holder.dataset.ready = "1";
})();
