// Search page: the name index first (src/liandong/site/search_index.py: records whose own name
// matches what was typed, in Chinese, traditional characters, pinyin or initials), then Pagefind's
// full-text results, without duplicates. Results are rendered with textContent (never innerHTML
// from data), each with the record's type and status. Also adds a search link to the header.
(function () {
  "use strict";

  // <lookup> The name index, as search_index.py builds it: fold(), latin(), shard() and keys() give
  // what its functions of the same names give (a test runs them in Chromium against Python's).
  var lookup = (function () {
    var CJK_LONGEST = 4, CARET_LONGEST = 16, LATIN_LENGTHS = [2, 4, 6];
    var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u;
    var SPACE = /[ \t\n\r\f\v\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;

    function shard(key, shards) {
      var h = 0x811c9dc5;  // FNV-1a over UTF-16 code units, as search_index.shard computes it
      for (var i = 0; i < key.length; i++) { h ^= key.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
      var width = (shards - 1).toString(16).length;
      return ("0000000" + (h % shards).toString(16)).slice(-width);
    }

    function simplified(text, t2s) {
      return Array.from(text).map(function (c) { return t2s[c] || c; }).join("");
    }

    function fold(text, t2s) {
      return simplified(text.normalize("NFKC"), t2s).toLowerCase().replace(SPACE, "");
    }

    function latin(text) {
      var bare = text.toLowerCase().replace(/[üǖǘǚǜ]/g, "v").normalize("NFKD").replace(/đ/g, "d");
      return (bare.match(/[a-z0-9]+/g) || []).join("");
    }

    // What to fetch for a query: the folder ("names" or "pinyin"), the query as compared, the keys.
    function keys(query, t2s) {
      var term = fold(query, t2s);
      if (CJK.test(term)) {
        var chars = Array.from(term);
        if (chars.length <= CJK_LONGEST) return { folder: "names", term: term, keys: [term] };
        for (var i = 0; !CJK.test(chars.slice(i, i + CJK_LONGEST).join("")); i++);
        return { folder: "names", term: term, keys: [chars.slice(i, i + CJK_LONGEST).join(""), "^" + chars.slice(0, CARET_LONGEST).join("")] };
      }
      var spelled = latin(query);
      var lengths = LATIN_LENGTHS.filter(function (n) { return n <= spelled.length; });
      return { folder: "pinyin", term: spelled, keys: lengths.length ? [spelled.slice(0, lengths[lengths.length - 1])] : [] };
    }

    // The best [group, length, name, which] of a record's names (its title first) for the term:
    // group 0 the name is the term, 1 it starts with it, 2 it contains it (pinyin: from a syllable
    // start); null when none matches.
    function rank(term, names, pinyin) {
      var best = null;
      names.forEach(function (name, which) {
        var group = -1, length;
        if (pinyin) {
          var words = name.split(" "), full = words.join(""), initials = words.map(function (w) { return w[0]; }).join("");
          if (term === full || term === initials) group = 0;
          else if (full.indexOf(term) === 0 || initials.indexOf(term) === 0) group = 1;
          else if (initials.indexOf(term) > 0) group = 2;
          else for (var i = 0, at = 0; i < words.length && group < 0; at += words[i].length, i++) if (full.startsWith(term, at)) group = 2;
          length = words.length;
        } else {
          var at2 = name.indexOf(term);
          if (at2 >= 0) group = name === term ? 0 : at2 === 0 ? 1 : 2;
          length = Array.from(name).length;
        }
        if (group >= 0 && (!best || group < best[0] || (group === best[0] && length < best[1]))) best = [group, length, name, which];
      });
      return best;
    }

    // A key file: gzipped JSON (undone here unless the server already did), or null.
    function load(url) {
      return fetch(url).then(function (response) { return response.ok ? response.arrayBuffer() : null; }).then(function (buffer) {
        if (!buffer) return null;
        var bytes = new Uint8Array(buffer);
        var text = bytes[0] === 0x1f && bytes[1] === 0x8b
          ? new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text()
          : new TextDecoder().decode(bytes);
        return Promise.resolve(text).then(JSON.parse);
      });
    }

    // search/lookup.json: each folder's number of shards and the traditional → simplified map.
    function manifest(root) {
      return load(root + "search/lookup.json").then(function (found) {
        var t2s = {}, from = Array.from(found.t), to = Array.from(found.s);
        from.forEach(function (c, i) { t2s[c] = to[i]; });
        return { names: found.names, pinyin: found.pinyin, t2s: t2s };
      });
    }

    // The records whose names match the query, best first: {hits: [{url, title, type, status,
    // codes, name, other, pinyin, group, length}], total}; name is the one that matched (folded, or
    // its syllables when pinyin), other whether it is not the title.
    function find(root, index, query) {
      var asked = keys(query, index.t2s), pinyin = asked.folder === "pinyin";
      var files = {};
      asked.keys.forEach(function (key) { files[root + "search/" + asked.folder + "/" + shard(key, index[asked.folder]) + ".json.gz"] = true; });
      return Promise.all(Object.keys(files).map(function (url) { return load(url).catch(function () { return null; }); })).then(function (found) {
        var byUrl = {}, total = 0;
        found.forEach(function (file) {
          if (!file) return;
          asked.keys.forEach(function (key) {
            var refs = file.k[key];
            if (!refs) return;
            if (key === asked.term) total = refs[0];
            refs.slice(1).forEach(function (n) {
              var row = file.r[n], label = file.l[row[2]];
              var best = rank(asked.term, row[3].map(function (name) { return name || row[1]; }), pinyin);
              if (best && !byUrl[row[0]]) {
                byUrl[row[0]] = { url: row[0], title: row[1], type: label[0], status: label[1], codes: label[2], example: label[3] === 1 ? 1 : 0, name: best[2], other: best[3] > 0, pinyin: pinyin, group: best[0], length: best[1] };
              }
            });
          });
        });
        var hits = Object.keys(byUrl).map(function (url) { return byUrl[url]; });
        // Real records before examples (examples are never facts), then the exact name, a name's start, a name containing it.
        hits.sort(function (a, b) { return a.example - b.example || a.group - b.group || a.length - b.length || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0); });
        return { hits: hits, total: Math.max(total, hits.length) };
      });
    }

    // The records in a derived state (its code: overdue, unsigned…), longest in it first, as hits
    // of group -1: {hits, total}.
    function inState(root, index, code) {
      var key = "~" + code;
      return load(root + "search/names/" + shard(key, index.names) + ".json.gz").then(function (file) {
        var refs = file && file.k[key];
        if (!refs) return { hits: [], total: 0 };
        return {
          hits: refs.slice(1).map(function (n, i) {
            var row = file.r[n], label = file.l[row[2]];
            return { url: row[0], title: row[1], type: label[0], status: label[1], codes: label[2], name: row[1], other: false, pinyin: false, group: -1, length: i };
          }),
          total: refs[0],
        };
      });
    }

    return { shard: shard, simplified: simplified, fold: fold, latin: latin, keys: keys, rank: rank, manifest: manifest, find: find, inState: inState };
  })();
  // </lookup>

  // The messages in the page's edition (<html lang>: zh, vi, en; Chinese for any other), {name}
  // fields filled in by say(); the search page's own words come from its template (search.md.j2).
  var WORDS = {
    zh: {
      state: "办理情况：{state}", pinyin: "拼音：{name}", other: "又称：{name}",
      inState: "“{state}”的记录 {n} 条", names: "{n} 条记录的名称相符", text: "全文搜索 {n} 条结果",
      found: "找到 {parts}", joiner: "，",
      file: "从本地文件打开网页时，浏览器不允许加载搜索索引。请运行 liandong serve，或在发布后的网站上搜索；各类型的列表页可以直接浏览。",
      failed: "搜索索引加载失败，请稍后重试。",
      searching: "正在搜索…", none: "没有找到与“{query}”相关的记录", nothing: "没有找到符合条件的记录",
      search: "搜索",
    },
    vi: {
      state: "Tình hình xử lý: {state}", pinyin: "Pinyin: {name}", other: "Tên khác: {name}",
      inState: "{n} hồ sơ “{state}”", names: "{n} hồ sơ có tên phù hợp", text: "{n} kết quả tìm kiếm toàn văn",
      found: "Tìm thấy {parts}", joiner: ", ",
      file: "Khi mở trang từ tệp trên máy, trình duyệt không cho tải chỉ mục tìm kiếm. Hãy chạy liandong serve hoặc tìm kiếm trên trang đã công bố; có thể xem trực tiếp trang danh sách của từng loại.",
      failed: "Không tải được chỉ mục tìm kiếm, vui lòng thử lại sau.",
      searching: "Đang tìm kiếm…", none: "Không tìm thấy hồ sơ nào liên quan đến “{query}”", nothing: "Không tìm thấy hồ sơ nào phù hợp",
      search: "Tìm kiếm",
    },
    en: {
      state: "Progress: {state}", pinyin: "Pinyin: {name}", other: "Also called: {name}",
      inState: "{n} “{state}”", names: "{n} by name", text: "{n} in the full text",
      found: "Found {parts}", joiner: ", ",
      file: "A browser does not load the search index into a page opened from a file. Run liandong serve, or search on the published site; each type's list page can be browsed directly.",
      failed: "The search index could not be loaded; please try again later.",
      searching: "Searching…", none: "No records found for “{query}”", nothing: "No records match",
      search: "Search",
    },
  };
  var edition = (document.documentElement.lang || "").split("-")[0];
  var words = WORDS[edition] || WORDS.zh;
  // The name index (search/) is the Chinese edition's: in another edition a record found there
  // links to that edition's page, and its names and labels, which are Chinese, are marked so.
  var prefix = WORDS[edition] && edition !== "zh" ? edition + "/" : "";
  function say(name, values) {
    return words[name].replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }

  var PAGE = 20;  // results shown at first, at most
  var TEXT_STEP = 10;  // Pagefind's results fetched at a time: each is its page's text, 3–4 KB at 10,000 records
  var input = document.getElementById("ld-search-input");
  addHeaderLink();
  if (!input) return;
  var state = document.getElementById("ld-search-state");
  var results = document.querySelector(".ld-search-results");
  var more = document.querySelector(".ld-search-more");
  var further = document.querySelector(".ld-search-next");
  var status = document.querySelector(".ld-search-status");
  var bundle = input.getAttribute("data-pagefind-bundle");
  // The bundle sits at the site's root, so the root is the bundle's address less "pagefind/",
  // relative to this page (e.g. "../"). Results link from there: the site then works under any
  // path (a GitHub Pages project site lives at /REPO/) and from a folder, not only at a domain's root.
  var root = bundle.replace(/pagefind\/$/, "");
  var pagefind = null;
  // Fetched as the page opens (a couple of KB): the first query is converted without waiting.
  var names = lookup.manifest(root).catch(function () { return null; });
  var latest = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(bundle + "pagefind.js").then(function (module) {
        // baseUrl "/" makes every result's url the page's path from the site root, e.g. "/tasks/task-0001/".
        // A large site is indexed in several bundles, and a sharded build (liandong build --merge)
        // adds its shards': search/shards.json lists them by language. Each of this edition's is
        // merged into the site's own index, so one query searches them all.
        return module.options({ excerptLength: 30, baseUrl: "/" })
          .then(function () { return fetch(root + "search/shards.json").then(function (r) { return r.ok ? r.json() : {}; }, function () { return {}; }); })
          .then(function (listed) {
            var bundles = listed[document.documentElement.lang] || listed[edition] || [];
            return bundles.reduce(function (done, bundle) {
              return done.then(function () { return module.mergeIndex(root + bundle, { baseUrl: "/" }); });
            }, Promise.resolve());
          })
          .then(function () { return module; });
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

  // A record found by its name or state, shown as Pagefind's results are; the excerpt says which
  // state, which name matched when it is not the title, or how the name reads in pinyin.
  function asResult(hit) {
    var note = hit.state ? say("state", { state: hit.state }) : hit.pinyin ? say("pinyin", { name: hit.name }) : hit.other ? say("other", { name: hit.name }) : "";
    return { url: "/" + prefix + hit.url, meta: { title: hit.title, type: hit.type, status: hit.status }, plain: note, chinese: prefix !== "" };
  }

  // The records in the state asked for (chosen, or whose word the query is: 逾期, 未签收…), then
  // those whose names match, then Pagefind's results, each a fetch, loaded only as far as the page
  // needs. When those records fill the page, are all the state has, or one is named exactly what
  // was typed, Pagefind is not asked at all (its results would come below them, and loading it is
  // most of a search's bytes: 438 KB for one department name at 10,000 records), until the "全文搜索"
  // button asks for its results alone.
  function answer(index, query, fullText) {
    var chosen = state && state.value ? state.options[state.selectedIndex] : null;
    var typed = query.trim() !== "";
    // The state asked for: the one chosen, or the one whose word the query is (逾期, 未簽收…).
    var asked = chosen || (index && typed && state ? Array.prototype.filter.call(state.options, function (o) {
      return o.value && lookup.fold(o.value, index.t2s) === lookup.fold(query, index.t2s);
    })[0] : null);
    var code = asked ? asked.getAttribute("data-code") : "";
    var none = { hits: [], total: 0 };
    var asking = index && !fullText;
    return Promise.all([
      asking && typed ? lookup.find(root, index, query).catch(function () { return none; }) : none,
      asking && code && !(chosen && typed) ? lookup.inState(root, index, code).catch(function () { return null; }) : none,
    ]).then(function (found) {
      var byName = found[0], byState = found[1] || none;
      byState.hits.forEach(function (hit) { hit.state = asked.value; });
      var named = chosen ? byName.hits.filter(function (hit) { return hit.codes.indexOf(code) !== -1; }) : byName.hits;
      var seen = {};
      var hits = byState.hits.concat(named).filter(function (hit) { return seen[hit.url] ? false : (seen[hit.url] = true); });
      var counts = { names: chosen ? named.length : byName.total, inState: byState.total && [asked.value, byState.total], text: 0 };
      var shown = hits.slice(0, PAGE).map(asResult);
      // A page of them, everything there is, or a record of exactly that name: Pagefind's results
      // would come below, or are not what was asked for.
      var complete = chosen && !typed && found[1] && byState.hits.length === byState.total;
      var exact = named.some(function (hit) { return hit.group === 0; });
      if (shown.length >= PAGE || complete || exact) return { counts: counts, items: shown, more: shown.length >= PAGE || exact };
      var text = index ? lookup.simplified(query, index.t2s) : query;
      // With a state chosen, its word too, which every record in that state carries (a search
      // without words would have Pagefind fetch its whole index: megabytes at 10,000 records);
      // what comes back is then kept to the pages whose `states` meta has its code.
      var term = chosen ? (typed ? text + " " : "") + chosen.value : text;
      return load().then(function (module) { return module.debouncedSearch(term, {}, 200); }).then(function (search) {
        if (search === null) return null;  // a newer query superseded this one
        counts.text = search.results.length;
        var listed = {}, from = 0;
        shown.forEach(function (item) { listed[item.url] = true; });
        // The next `want` of Pagefind's results not listed yet (each is a fetch of its page's text).
        function step(want) {
          var got = [];
          function go() {
            var batch = search.results.slice(from, from + want - got.length);
            if (!batch.length) return got;
            from += batch.length;
            return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
              items.forEach(function (item) {
                var states = ((item.meta && item.meta.states) || "").split(" ");
                if (!listed[item.url] && (!chosen || states.indexOf(code) !== -1)) { listed[item.url] = true; got.push(item); }
              });
              return go();
            });
          }
          return Promise.resolve(go());
        }
        function next() {
          return step(TEXT_STEP).then(function (got) { return { items: got, next: from < search.results.length ? next : null }; });
        }
        return step(Math.min(TEXT_STEP, PAGE - shown.length)).then(function (got) {
          if (chosen) counts.text = got.length;  // Pagefind's count is before keeping to the state
          return { counts: counts, items: shown.concat(got), more: false, next: from < search.results.length ? next : null };
        });
      });
    });
  }

  function counted(counts) {
    var parts = [];
    if (counts.inState) parts.push(say("inState", { state: counts.inState[0], n: counts.inState[1] }));
    if (counts.names) parts.push(say("names", { n: counts.names }));
    if (counts.text) parts.push(say("text", { n: counts.text }));
    return parts.length ? say("found", { parts: parts.join(words.joiner) }) : "";
  }

  function item(result) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = root + result.url.replace(/^\/+/, "");
    link.textContent = (result.meta && result.meta.title) || result.url;
    var head = document.createElement("p");
    head.appendChild(link);
    if (result.meta && result.meta.type) { head.appendChild(document.createTextNode(" ")); head.appendChild(badge(result.meta.type, "ld-type")); }
    if (result.meta && result.meta.status) { head.appendChild(document.createTextNode(" ")); head.appendChild(badge(result.meta.status, "ld-status")); }
    if (result.chinese) Array.prototype.forEach.call(head.children, function (node) { node.lang = "zh"; });
    var excerpt = document.createElement("p");
    if (result.plain !== undefined) excerpt.textContent = result.plain;
    else textWithMarks(excerpt, result.excerpt || "");
    li.appendChild(head);
    li.appendChild(excerpt);
    results.appendChild(li);
  }

  function failed() {
    // Browsers refuse to load the index into a page opened from a file (file://).
    status.textContent = window.location.protocol === "file:"
      ? say("file", {})
      : say("failed", {});
  }

  var following = null;  // the next page of Pagefind's results of the query shown, or null

  function run(query, fullText) {
    var mine = ++latest;
    more.hidden = true;
    further.hidden = true;
    following = null;
    if (!query.trim() && !(state && state.value)) {
      results.textContent = "";
      status.textContent = "";
      return;
    }
    status.textContent = say("searching", {});
    // What the status says, for scripts and tests in any edition: the query shown and whether it is answered.
    status.dataset.query = query;
    status.dataset.state = "searching";
    names.then(function (index) { return answer(index, query, fullText); }).then(function (found) {
      if (found === null || mine !== latest) return;
      results.textContent = "";
      status.textContent = counted(found.counts) || (query.trim() ? say("none", { query: query }) : say("nothing", {}));
      more.hidden = !found.more;
      found.items.forEach(item);
      following = found.next || null;
      further.hidden = !following;
      status.dataset.state = "done";
    }).catch(function () { if (mine === latest) { failed(); status.dataset.state = "failed"; } });
  }

  function continued() {
    var mine = latest;
    if (!following) return;
    further.disabled = true;
    following().then(function (page) {
      if (mine !== latest) return;
      page.items.forEach(item);
      following = page.next;
      further.hidden = !following;
      further.disabled = false;
    }).catch(function () { if (mine === latest) failed(); });
  }

  input.addEventListener("input", function () { run(input.value); });
  if (state) state.addEventListener("change", function () { run(input.value); });
  more.addEventListener("click", function () { run(input.value, true); });
  further.addEventListener("click", continued);
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; run(initial); }

  function addHeaderLink() {
    var header = document.querySelector(".md-header__inner");
    var nav = document.querySelector('a.md-nav__link[href$="search/"]');
    if (!header || !nav || header.querySelector(".ld-header-search")) return;
    var link = document.createElement("a");
    link.className = "md-header__button md-icon ld-header-search";
    link.href = nav.getAttribute("href");
    link.setAttribute("aria-label", words.search);
    link.title = words.search;
    link.textContent = words.search;
    header.appendChild(link);
  }
})();
