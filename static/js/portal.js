// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("[data-autosubmit]")) { el.form.submit(); }
});

// On a phone, list tables (class "table-stack") show each row as a card: every cell is labelled with
// its column's header (CSS in portal.css reads data-label). Runs again after htmx swaps a list in.
function labelStackedTables(root) {
  (root || document).querySelectorAll("table.table-stack").forEach(function (table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (headers[i] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", headers[i]); }
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { labelStackedTables(document); });
document.addEventListener("htmx:afterSwap", function (event) { labelStackedTables(event.target); });
