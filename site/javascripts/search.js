// Search page: Pagefind's JavaScript API, results rendered with textContent (never innerHTML
// from data), each with the record's type and status. Also adds a search link to the header.
(function () {
  "use strict";

  var input = document.getElementById("ld-search-input");
  addHeaderLink();
  if (!input) return;
  var results = document.querySelector(".ld-search-results");
  var status = document.querySelector(".ld-search-status");
  var bundle = input.getAttribute("data-pagefind-bundle");
  // The bundle sits at the site's root, so the root is the bundle's address less "pagefind/",
  // relative to this page (e.g. "../"). Results link from there: the site then works under any
  // path (a GitHub Pages project site lives at /REPO/) and from a folder, not only at a domain's root.
  var root = bundle.replace(/pagefind\/$/, "");
  var pagefind = null;
  var latest = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(bundle + "pagefind.js").then(function (module) {
        // baseUrl "/" makes every result's url the page's path from the site root, e.g. "/tasks/task-0001/".
        return module.options({ excerptLength: 30, baseUrl: "/" }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  function textWithMarks(parent, excerpt) {
    // Pagefind marks hits with <mark>; rebuild only those marks, everything else as text.
    var parts = excerpt.split(/<mark>|<\/mark>/);
    parts.forEach(function (part, i) {
      var clean = part.replace(/<[^>]*>/g, "");
      var node = i % 2 === 1 ? document.createElement("mark") : document.createTextNode("");
      node.textContent = clean
        .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
      parent.appendChild(node);
    });
  }

  function badge(text, cls) {
    var span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    return span;
  }

  // Pagefind splits Chinese into words when it indexes but cannot split a query the same way, so a
  // full name typed as one word (东兴市财政局) finds nothing. For three or more Chinese characters,
  // the shard of the title index (src/liandong/site/search_index.py) that holds the query's first character
  // pair is fetched, and the titles containing the whole query are shown first.
  function shard(pair) {
    var h = 0x811c9dc5;  // FNV-1a over UTF-16 code units, as title_index.shard computes it
    for (var i = 0; i < pair.length; i++) { h ^= pair.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return ("0" + (h % 256).toString(16)).slice(-2);
  }

  function titled(query) {
    var phrase = query.trim();
    var run = (phrase.match(/[\u3400-\u9fff]{3,}/) || [])[0];
    if (!run) return Promise.resolve([]);
    return fetch(root + "search/titles/" + shard(run.slice(0, 2)) + ".json")
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (entries) { return entries.filter(function (e) { return e[1].indexOf(phrase) !== -1; }); })
      .catch(function () { return []; });
  }

  function merged(module, query) {
    return Promise.all([module.debouncedSearch(query, {}, 200), titled(query)]).then(function (found) {
      var search = found[0];
      if (search === null) return null;  // a newer query superseded this one
      return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); })).then(function (items) {
        var byUrl = {};
        items.forEach(function (item) { byUrl[item.url] = item; });
        // A title hit that Pagefind found too keeps Pagefind's excerpt.
        var first = found[1].map(function (e) {
          return byUrl["/" + e[0]] || { url: "/" + e[0], meta: { title: e[1], type: e[2], status: e[3] }, excerpt: "" };
        });
        var rest = items.filter(function (item) { return first.indexOf(item) === -1; });
        return { count: search.results.length + first.length - (items.length - rest.length), items: first.concat(rest).slice(0, 20) };
      });
    });
  }

  function run(query) {
    var mine = ++latest;
    if (!query.trim()) {
      results.textContent = "";
      status.textContent = "";
      return;
    }
    status.textContent = "正在搜索…";
    load().then(function (module) { return merged(module, query); }).then(function (found) {
      if (found === null || mine !== latest) return;
      results.textContent = "";
      status.textContent = found.count ? "找到 " + found.count + " 条结果" : "没有找到与“" + query + "”相关的记录";
      found.items.forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = root + item.url.replace(/^\/+/, "");
        link.textContent = (item.meta && item.meta.title) || item.url;
        var head = document.createElement("p");
        head.appendChild(link);
        if (item.meta && item.meta.type) { head.appendChild(document.createTextNode(" ")); head.appendChild(badge(item.meta.type, "ld-type")); }
        if (item.meta && item.meta.status) { head.appendChild(document.createTextNode(" ")); head.appendChild(badge(item.meta.status, "ld-status")); }
        var excerpt = document.createElement("p");
        textWithMarks(excerpt, item.excerpt || "");
        li.appendChild(head);
        li.appendChild(excerpt);
        results.appendChild(li);
      });
    }).catch(function () {
      // Browsers refuse to load the index into a page opened from a file (file://).
      status.textContent = window.location.protocol === "file:"
        ? "从本地文件打开网页时，浏览器不允许加载搜索索引。请运行 liandong serve，或在发布后的网站上搜索；各类型的列表页可以直接浏览。"
        : "搜索索引加载失败，请稍后重试。";
    });
  }

  input.addEventListener("input", function () { run(input.value); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; run(initial); }

  function addHeaderLink() {
    var header = document.querySelector(".md-header__inner");
    var nav = document.querySelector('a.md-nav__link[href$="search/"]');
    if (!header || !nav || header.querySelector(".ld-header-search")) return;
    var link = document.createElement("a");
    link.className = "md-header__button md-icon ld-header-search";
    link.href = nav.getAttribute("href");
    link.setAttribute("aria-label", "搜索");
    link.title = "搜索";
    link.textContent = "搜索";
    header.appendChild(link);
  }
})();
