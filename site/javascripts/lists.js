// List pages: filter rows by the form's selects and date range, sort by clicking a column.
// Works without a server; rows carry data-f-<field> tokens, data-date and data-example.
//
// A long list's page holds only its first rows (site/lists.py FIRST_ROWS). Its table names the row
// files that hold every row, in the page's order (data-ld-rows: JSON arrays of each row's <tr>
// markup, rendered and escaped by the generator exactly as the page's own rows; data-ld-total,
// data-ld-batch). They are fetched relative to the page, so the site works under any sub-path: the
// files the rows up to 显示更多 need, or all of them once a filter or a sort needs every row. The
// matching rows are then shown data-ld-batch at a time, 显示更多 adding the next. The markup is
// parsed in a <template> (inert) and never built from record text here. A short list (no row files)
// keeps every row in the page and hides the others, as it always did. Print shows the rows on screen.
(function () {
  "use strict";

  var collator = new Intl.Collator("zh-Hans-CN", { numeric: true });
  // The messages in the page's edition (<html lang>: zh, vi, en; Chinese for any other), {name}
  // fields filled in by say(). The page's own words come from its template (list.md.j2).
  var WORDS = {
    zh: {
      failed: "未能加载其余记录，只显示本页的前 {n} 条",
      loading: "正在加载全部 {total} 条…",
      shown: "显示 {shown} / 共 {total} 条",
      more: "显示更多（还有 {rest} 条）",
      print: "打印件只含屏幕上已显示的 {shown} 条（符合条件的共 {matching} 条）。",
    },
    vi: {
      failed: "Không tải được các hồ sơ còn lại, chỉ hiển thị {n} hồ sơ đầu của trang này",
      loading: "Đang tải toàn bộ {total} hồ sơ…",
      shown: "Hiển thị {shown} / tổng cộng {total} hồ sơ",
      more: "Hiển thị thêm (còn {rest} hồ sơ)",
      print: "Bản in chỉ gồm {shown} hồ sơ đang hiển thị trên màn hình (tổng cộng {matching} hồ sơ phù hợp).",
    },
    en: {
      failed: "The other records could not be loaded; only the first {n} on this page are shown",
      loading: "Loading all {total}…",
      shown: "Showing {shown} of {total}",
      more: "Show more ({rest} more)",
      print: "The printout holds only the {shown} records shown on screen ({matching} match).",
    },
  };
  var words = WORDS[(document.documentElement.lang || "").split("-")[0]] || WORDS.zh;
  function say(name, values) {
    return words[name].replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }

  function setUp(form) {
    var table = document.getElementById(form.getAttribute("data-ld-table"));
    if (!table) return;
    var body = table.tBodies[0];
    var count = form.querySelector(".ld-count");
    var selects = form.querySelectorAll("select[data-filter]");
    var from = form.querySelector("[data-filter-from]");
    var to = form.querySelector("[data-filter-to]");
    var files = (table.getAttribute("data-ld-rows") || "").split(" ").filter(Boolean);
    var chunked = files.length > 0;
    // Every row known so far, in the order shown (the page's, or the last sort's).
    var rows = Array.prototype.slice.call(body.rows);
    var total = chunked ? Number(table.getAttribute("data-ld-total")) : rows.length;
    var batch = Number(table.getAttribute("data-ld-batch")) || 100;
    var limit = batch; // how many of the matching rows a long list shows
    var complete = !chunked; // whether rows holds every row
    var perFile = 0; // rows per file, known from the first one fetched
    var loaded = []; // file index → its rows (elements), once fetched
    var pending = []; // file index → the promise of them
    var failed = false;
    var more = chunked ? document.getElementById(table.id + "-more") : null;
    var moreButton = more ? more.querySelector("button.ld-more") : null;
    var partial = more ? more.querySelector(".ld-list-partial") : null;
    var printNote = more ? more.querySelector(".ld-print-note") : null;

    function matches(row) {
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
      return visible;
    }

    function filtering() {
      var any = (from && from.value) || (to && to.value);
      selects.forEach(function (select) { any = any || select.value; });
      return Boolean(any);
    }

    // -- the row files of a long list -------------------------------------------------------------

    function fetchFile(index) {
      if (!pending[index]) {
        pending[index] = fetch(files[index], { credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) throw new Error(files[index] + " " + response.status);
            return response.json();
          })
          .then(function (markup) {
            var holder = document.createElement("template");
            holder.innerHTML = markup.join("");
            loaded[index] = Array.prototype.slice.call(holder.content.children);
            if (index === 0) perFile = loaded[0].length;
          });
      }
      return pending[index];
    }

    // The files the first `n` rows of the page's order are in (all of them when n is Infinity).
    function load(n) {
      var wanted = [0];
      if (n === Infinity) wanted = files.map(function (_, i) { return i; });
      return fetchFile(0).then(function () {
        if (n !== Infinity) {
          var last = Math.min(files.length, Math.ceil(n / perFile)) - 1;
          for (var i = 1; i <= last; i += 1) wanted.push(i);
        }
        return Promise.all(wanted.map(fetchFile));
      }).then(function () {
        var known = [];
        for (var i = 0; i < files.length && loaded[i]; i += 1) {
          for (var j = 0; j < loaded[i].length; j += 1) known.push(loaded[i][j]);
        }
        if (known.length > rows.length) rows = known;
        complete = rows.length >= total;
      });
    }

    function busy(on) {
      if (on) table.setAttribute("aria-busy", "true");
      else table.removeAttribute("aria-busy");
    }

    function failure(error) {
      failed = true;
      busy(false);
      if (count) count.textContent = say("failed", { n: rows.length });
      if (partial) partial.hidden = false;
      if (moreButton) moreButton.hidden = true;
      if (window.console) window.console.error(error);
    }

    // Runs `then` once rows holds what it needs: every row, or the first `n`.
    function whenLoaded(n, then) {
      if (!chunked || complete || failed || (n !== Infinity && n <= rows.length)) {
        then();
        return;
      }
      busy(true);
      if (count) count.textContent = say("loading", { total: total });
      load(n).then(function () { busy(false); then(); }, failure);
    }

    // -- showing ----------------------------------------------------------------------------------

    function show() {
      if (!chunked) {
        var shown = 0;
        rows.forEach(function (row) {
          var visible = matches(row);
          row.hidden = !visible;
          if (visible) shown += 1;
        });
        if (count) count.textContent = say("shown", { shown: shown, total: rows.length });
        return;
      }
      var found = rows.filter(matches);
      // Until every row is in, no filter is set: every row of the list matches.
      var matching = complete || failed ? found.length : total;
      var fragment = document.createDocumentFragment();
      found.slice(0, limit).forEach(function (row) { row.hidden = false; fragment.appendChild(row); });
      body.textContent = "";
      body.appendChild(fragment);
      var onScreen = body.rows.length;
      var rest = failed ? 0 : matching - onScreen;
      if (!failed && count) count.textContent = say("shown", { shown: matching, total: total });
      if (moreButton) {
        moreButton.hidden = rest <= 0;
        moreButton.textContent = say("more", { rest: rest });
      }
      if (printNote) {
        printNote.textContent = rest > 0 ? say("print", { shown: onScreen, matching: matching }) : "";
      }
    }

    function update() {
      limit = batch;
      whenLoaded(filtering() ? Infinity : limit, show);
    }

    // The end of a date range is labelled only "到" on screen; its spoken name says of what (the
  // other editions write it in the page: list.md.j2).
    if (from && to && from.labels && from.labels.length && !to.hasAttribute("aria-label")) {
      to.setAttribute("aria-label", from.labels[0].textContent.replace(/从\s*$/, "").trim() + " 到");
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("reset", function () { setTimeout(update, 0); });

    if (moreButton) {
      moreButton.addEventListener("click", function () {
        var before = body.rows.length;
        limit += batch;
        whenLoaded(filtering() ? Infinity : limit, function () {
          show();
          // Keyboard and screen-reader users go on from the first row added.
          var next = body.rows[before];
          var link = next && next.querySelector("a");
          if (link) link.focus();
        });
      });
    }

    // aria-sort belongs on the column header (a button may not carry it); the CSS draws the arrow from it.
    table.querySelectorAll("button.ld-sort").forEach(function (button) {
      button.addEventListener("click", function () {
        var col = Number(button.getAttribute("data-col"));
        var header = button.closest("th");
        var descending = header.getAttribute("aria-sort") === "ascending";
        whenLoaded(Infinity, function () {
          table.querySelectorAll("thead th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
          header.setAttribute("aria-sort", descending ? "descending" : "ascending");
          var keyed = rows.map(function (row, i) { return { row: row, key: row.cells[col].textContent.trim(), i: i }; });
          keyed.sort(function (a, b) { return (descending ? -1 : 1) * collator.compare(a.key, b.key) || a.i - b.i; });
          rows = keyed.map(function (k) { return k.row; });
          if (chunked) {
            limit = Math.max(limit, batch);
            show();
          } else {
            rows.forEach(function (row) { body.appendChild(row); });
          }
        });
      });
    });

    // Filters can come from the address, e.g. tasks/?status=in_progress, so lists can be linked.
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var value = params.get(select.getAttribute("data-filter"));
      if (value !== null) select.value = value;
    });
    if (partial) partial.hidden = true; // the script can show every row
    update();
  }

  document.querySelectorAll("form.ld-filters").forEach(setUp);
})();
