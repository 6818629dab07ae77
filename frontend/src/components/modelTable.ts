// modelTable.ts renders the model status table. It builds DOM nodes with
// textContent only, so paths and error messages cannot inject markup.

import type { ModelStatus } from "../api/status";

const columns = ["Model", "File", "Package", "Size", "Status"] as const;

/** renderModelTable returns a table with one row per model. */
export function renderModelTable(statuses: readonly ModelStatus[]): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "models";
  const head = table.createTHead().insertRow();
  for (const c of columns) {
    const th = document.createElement("th");
    th.textContent = c;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const s of statuses) {
    const row = body.insertRow();
    row.className = s.ok ? "ok" : "bad";
    row.title = `Licence: ${s.licence}`;
    cell(row, s.name, s.purpose);
    cell(row, s.file, s.path ?? "", "path");
    cell(row, s.package).className = "nowrap";
    cell(row, formatSize(s.size)).className = "nowrap";
    cell(row, s.ok ? "OK" : "Not ready").className = "status nowrap";
    if (!s.ok && s.error !== undefined && s.error !== "") {
      // The error says what is wrong and which package to install; give it
      // the full width rather than squeezing it into the status column.
      const errorRow = body.insertRow();
      errorRow.className = "error";
      const td = errorRow.insertCell();
      td.colSpan = columns.length;
      td.textContent = s.error;
    }
  }
  return table;
}

/** summarize says how many of the models are ready, e.g. "5 of 6 models ready". */
export function summarize(statuses: readonly ModelStatus[]): string {
  const ok = statuses.filter((s) => s.ok).length;
  return `${ok} of ${statuses.length} models ready`;
}

function cell(
  row: HTMLTableRowElement,
  main: string,
  detail = "",
  detailClass = "",
): HTMLTableCellElement {
  const td = row.insertCell();
  const strong = document.createElement("div");
  strong.textContent = main;
  td.appendChild(strong);
  if (detail !== "") {
    const small = document.createElement("div");
    small.className = detailClass === "" ? "detail" : `detail ${detailClass}`;
    small.textContent = detail;
    td.appendChild(small);
  }
  return td;
}

function formatSize(bytes: number): string {
  if (bytes >= 1 << 20) {
    return `${(bytes / (1 << 20)).toFixed(1)} MB`;
  }
  return `${(bytes / 1024).toFixed(1)} kB`;
}
