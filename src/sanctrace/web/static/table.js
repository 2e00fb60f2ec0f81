/* Sortable tables for sanctrace's pages (no dependencies).
 *
 * A table with class "sortable" sorts on a click on a header button. Each cell's sort value
 * is its data-value attribute (numbers where the header has data-type="number"); empty
 * values sort last in both directions, and rows that tie keep the order the server sent
 * (data-order on the row). The first click sorts numbers largest first and text A to Z; the
 * next click reverses. The sort is re-applied when htmx swaps in a filtered table.
 */
(function () {
  "use strict";

  var current = {}; // table id -> {column: index, direction: "ascending" | "descending"}

  function sortRows(table, column, direction) {
    var header = table.tHead.rows[0].cells[column];
    var numeric = header.getAttribute("data-type") === "number";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var sign = direction === "ascending" ? 1 : -1;
    rows.sort(function (a, b) {
      var va = a.cells[column].getAttribute("data-value") || "";
      var vb = b.cells[column].getAttribute("data-value") || "";
      var order = Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
      if (va === "" || vb === "") {
        return va === vb ? order : va === "" ? 1 : -1;
      }
      var c = numeric ? Number(va) - Number(vb) : va.localeCompare(vb);
      return c !== 0 ? sign * c : order;
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, i) {
      if (i === column) {
        cell.setAttribute("aria-sort", direction);
      } else {
        cell.removeAttribute("aria-sort");
      }
    });
    current[table.id] = { column: column, direction: direction };
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("table.sortable thead button");
    if (!button) {
      return;
    }
    var cell = button.closest("th");
    var table = cell.closest("table");
    var column = cell.cellIndex;
    var now = cell.getAttribute("aria-sort");
    var direction;
    if (now) {
      direction = now === "ascending" ? "descending" : "ascending";
    } else {
      direction = cell.getAttribute("data-type") === "number" ? "descending" : "ascending";
    }
    sortRows(table, column, direction);
  });

  document.addEventListener("htmx:afterSettle", function () {
    Object.keys(current).forEach(function (id) {
      var table = document.getElementById(id);
      if (table && table.tBodies.length) {
        sortRows(table, current[id].column, current[id].direction);
      }
    });
  });
})();
