// The gradebook grid's keyboard navigation (an enhancement: the grid works
// without it). The grade cells are one tab stop (a roving tabindex): the
// arrow keys move between them, Home and End to a row's ends, Enter opens
// the cell's item page, where its grades are entered.
(function () {
  "use strict";
  var table = document.querySelector("table[data-grid-keys]");
  if (!table || !table.tBodies.length) return;
  var rows = Array.prototype.map.call(table.tBodies[0].rows, function (row) {
    return Array.prototype.slice.call(row.querySelectorAll("td[data-href]"));
  }).filter(function (cells) { return cells.length > 0; });
  if (!rows.length) return;
  var at = { row: 0, col: 0 };
  rows.forEach(function (cells) {
    cells.forEach(function (td) { td.tabIndex = -1; });
  });
  rows[0][0].tabIndex = 0;
  var hint = document.querySelector("[data-grid-keys-hint]");
  if (hint) hint.hidden = false;

  function place(row, col, focus) {
    row = Math.max(0, Math.min(rows.length - 1, row));
    col = Math.max(0, Math.min(rows[row].length - 1, col));
    rows[at.row][at.col].tabIndex = -1;
    at = { row: row, col: col };
    var cell = rows[row][col];
    cell.tabIndex = 0;
    if (focus) cell.focus();
  }

  var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  table.addEventListener("keydown", function (event) {
    var cell = event.target.closest && event.target.closest("td[data-href]");
    if (!cell || event.altKey || event.ctrlKey || event.metaKey) return;
    var move = moves[event.key];
    if (move) {
      event.preventDefault();
      place(at.row + move[0], at.col + move[1], true);
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      place(at.row, event.key === "Home" ? 0 : rows[at.row].length - 1, true);
    } else if (event.key === "Enter") {
      event.preventDefault();
      window.location.href = cell.getAttribute("data-href");
    }
  });
  // A click or a screen reader's focus moves the tab stop with it.
  table.addEventListener("focusin", function (event) {
    var cell = event.target.closest && event.target.closest("td[data-href]");
    if (!cell) return;
    rows.forEach(function (cells, r) {
      var c = cells.indexOf(cell);
      if (c >= 0) place(r, c, false);
    });
  });
})();
