// List pages: filter rows by the form's selects and date range, sort by clicking a column.
// Works without a server; rows carry data-f-<field> tokens, data-date and data-example.
(function () {
  "use strict";

  function setUp(form) {
    var table = document.getElementById(form.getAttribute("data-ld-table"));
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = form.querySelector(".ld-count");

    function apply() {
      var shown = 0;
      var selects = form.querySelectorAll("select[data-filter]");
      var from = form.querySelector("[data-filter-from]");
      var to = form.querySelector("[data-filter-to]");
      rows.forEach(function (row) {
        var visible = true;
        selects.forEach(function (select) {
          var wanted = select.value;
          if (!wanted) return;
          var field = select.getAttribute("data-filter");
          if (field === "example") {
            visible = visible && row.getAttribute("data-example") === wanted;
          } else {
            var tokens = (row.getAttribute("data-f-" + field.replace(/\./g, "-")) || "").split(" ");
            visible = visible && tokens.indexOf(wanted) !== -1;
          }
        });
        var date = row.getAttribute("data-date") || "";
        if (from && from.value) visible = visible && date !== "" && date >= from.value;
        if (to && to.value) visible = visible && date !== "" && date <= to.value;
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      if (count) count.textContent = "显示 " + shown + " / 共 " + rows.length + " 条";
    }

    // The end of a date range is labelled only "到" on screen; its spoken name says of what.
    var from = form.querySelector("[data-filter-from]");
    var to = form.querySelector("[data-filter-to]");
    if (from && to && from.labels && from.labels.length && !to.hasAttribute("aria-label")) {
      to.setAttribute("aria-label", from.labels[0].textContent.replace(/从\s*$/, "").trim() + " 到");
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });

    // aria-sort belongs on the column header (a button may not carry it); the CSS draws the arrow from it.
    table.querySelectorAll("button.ld-sort").forEach(function (button) {
      button.addEventListener("click", function () {
        var col = Number(button.getAttribute("data-col"));
        var header = button.closest("th");
        var descending = header.getAttribute("aria-sort") === "ascending";
        table.querySelectorAll("thead th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var sorted = rows.slice().sort(function (a, b) {
          var x = a.cells[col].textContent.trim();
          var y = b.cells[col].textContent.trim();
          return (descending ? -1 : 1) * x.localeCompare(y, "zh-Hans-CN", { numeric: true });
        });
        sorted.forEach(function (row) { table.tBodies[0].appendChild(row); });
      });
    });

    // Filters can come from the address, e.g. tasks/?status=in_progress, so lists can be linked.
    var params = new URLSearchParams(window.location.search);
    form.querySelectorAll("select[data-filter]").forEach(function (select) {
      var value = params.get(select.getAttribute("data-filter"));
      if (value !== null) select.value = value;
    });
    apply();
  }

  document.querySelectorAll("form.ld-filters").forEach(setUp);
})();
