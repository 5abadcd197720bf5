/* 联动 · forms for staff who never touch Git (src/liandong/site/forms.py builds their data).
 *
 * - contribute/<type>/new/: the form of a record type, drawn from contribute/<type>/form.json
 *   (its fields walked from the schema, the schemas, the next free id), validated at each field
 *   with the bundled Ajv against the same schema as `liandong validate`, written as YAML exactly
 *   as `liandong new` writes it (yamlio/dumper.py), and handed to the forge's new-file page.
 * - a record page's 追加进度: the lines to add to its progress list.
 * A draft is kept in localStorage until it is submitted or discarded.
 * window.LiandongForms exposes yamlText and the forms, for tests/site/test_contrib_forms.py. */
(function () {
  "use strict";

  // -- YAML, as PyYAML's emitter writes it with our dumper (no folding, multi-line text as |) ----

  var INT = /^-?(?:0|[1-9][0-9]*)$/;
  var FLOAT = /^-?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;
  var BREAKS = "\n\x85\u2028\u2029";
  var WHITE = "\0 \t\r\n\x85\u2028\u2029";

  function readAsString(s) { // yamlio/loader.py JsonLikeResolver: what a plain scalar reads as
    if (s === "") return false;
    var f = s[0];
    if ("-0123456789".indexOf(f) >= 0 && (INT.test(s) || FLOAT.test(s))) return false;
    if ((f === "t" || f === "f") && /^(?:true|false)$/.test(s)) return false;
    if ((f === "n" || f === "~") && /^(?:null|~)$/.test(s)) return false;
    return true;
  }

  function printable(cp) { // PyYAML's "unicode character" test under allow_unicode
    return cp === 0x85 || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp < 0x10ffff);
  }

  function analyze(text) { // PyYAML Emitter.analyze_scalar
    if (!text) return { empty: true, multiline: false, plain: true, single: true, block: false };
    var chars = Array.from(text);
    var n = chars.length;
    var blockInd = false, flowInd = false, lineBreaks = false, special = false;
    var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
    var breakSpace = false, spaceBreak = false, prevSpace = false, prevBreak = false;
    if (text.startsWith("---") || text.startsWith("...")) { blockInd = true; flowInd = true; }
    var precededByWhite = true;
    var followedByWhite = n === 1 || WHITE.indexOf(chars[1]) >= 0;
    for (var i = 0; i < n; i++) {
      var ch = chars[i], cp = ch.codePointAt(0);
      if (i === 0) {
        if ("#,[]{}&*!|>'\"%@`".indexOf(ch) >= 0) { flowInd = true; blockInd = true; }
        if (ch === "?" || ch === ":") { flowInd = true; if (followedByWhite) blockInd = true; }
        if (ch === "-" && followedByWhite) { flowInd = true; blockInd = true; }
      } else {
        if (",?[]{}".indexOf(ch) >= 0) flowInd = true;
        if (ch === ":") { flowInd = true; if (followedByWhite) blockInd = true; }
        if (ch === "#" && precededByWhite) { flowInd = true; blockInd = true; }
      }
      if (BREAKS.indexOf(ch) >= 0) lineBreaks = true;
      if (!(ch === "\n" || (cp >= 0x20 && cp <= 0x7e))) {
        if (!(printable(cp) && cp !== 0xfeff)) special = true;
      }
      if (ch === " ") {
        if (i === 0) leadingSpace = true;
        if (i === n - 1) trailingSpace = true;
        if (prevBreak) breakSpace = true;
        prevSpace = true; prevBreak = false;
      } else if (BREAKS.indexOf(ch) >= 0) {
        if (i === 0) leadingBreak = true;
        if (i === n - 1) trailingBreak = true;
        if (prevSpace) spaceBreak = true;
        prevSpace = false; prevBreak = true;
      } else {
        prevSpace = false; prevBreak = false;
      }
      precededByWhite = WHITE.indexOf(ch) >= 0;
      followedByWhite = i + 2 >= n || WHITE.indexOf(chars[i + 2]) >= 0;
    }
    var plain = true, single = true, block = true;
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) plain = false;
    if (trailingSpace) block = false;
    if (breakSpace) { plain = false; single = false; }
    if (spaceBreak || special) { plain = false; single = false; block = false; }
    if (lineBreaks) plain = false;
    if (blockInd) plain = false;
    return { empty: false, multiline: lineBreaks, plain: plain, single: single, block: block };
  }

  var ESCAPES = { 0: "0", 7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 27: "e", 34: "\"", 92: "\\", 0x85: "N", 0xa0: "_", 0x2028: "L", 0x2029: "P" };

  function hex(cp, width) { return cp.toString(16).toUpperCase().padStart(width, "0"); }

  function doubleQuoted(text) {
    var out = "\"";
    Array.from(text).forEach(function (ch) {
      var cp = ch.codePointAt(0);
      var plainChar = (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd);
      if ("\"\\\x85\u2028\u2029\ufeff".indexOf(ch) >= 0 || !plainChar) {
        if (cp in ESCAPES) out += "\\" + ESCAPES[cp];
        else if (cp <= 0xff) out += "\\x" + hex(cp, 2);
        else if (cp <= 0xffff) out += "\\u" + hex(cp, 4);
        else out += "\\U" + hex(cp, 8);
      } else out += ch;
    });
    return out + "\"";
  }

  function literal(text, indent) { // PyYAML write_literal, lines at `indent`
    var hints = "";
    if (" \n\x85\u2028\u2029".indexOf(text[0]) >= 0) hints += "2";
    var last = text[text.length - 1];
    if (BREAKS.indexOf(last) < 0) hints += "-";
    else if (text.length === 1 || BREAKS.indexOf(text[text.length - 2]) >= 0) hints += "+";
    var lines = text.split("\n");
    if (BREAKS.indexOf(last) >= 0) lines.pop(); // the final break ends the last line
    var pad = " ".repeat(indent);
    return "|" + hints + "\n" + lines.map(function (line) { return line ? pad + line + "\n" : "\n"; }).join("");
  }

  function scalar(value, indent) { // the value after "key: " or "- ", with its line break(s)
    if (value === null || value === undefined) return "null\n";
    if (typeof value === "boolean") return (value ? "true" : "false") + "\n";
    if (typeof value === "number") return String(value) + "\n";
    var text = String(value);
    var a = analyze(text);
    if (text.indexOf("\n") >= 0) { // our representer asks for a literal block
      return a.block ? literal(text, indent) : doubleQuoted(text) + "\n";
    }
    if (readAsString(text) && a.plain) return text + "\n";
    if (a.single) return "'" + text.replace(/'/g, "''") + "'\n";
    return doubleQuoted(text) + "\n";
  }

  function isMapping(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }

  function afterKey(value, indent) { // what follows "key:" of a mapping whose keys are at `indent`
    if (Array.isArray(value)) return value.length ? "\n" + sequence(value, indent) : " []\n";
    if (isMapping(value)) return Object.keys(value).length ? "\n" + mapping(value, indent + 2, false) : " {}\n";
    return " " + scalar(value, indent + 2);
  }

  function mapping(obj, indent, inline) { // inline: the first key follows "- "
    return Object.keys(obj).map(function (key, n) {
      return (n === 0 && inline ? "" : " ".repeat(indent)) + key + ":" + afterKey(obj[key], indent);
    }).join("");
  }

  function sequence(items, indent, inline) { // "- " at `indent` (PyYAML's indentless lists)
    return items.map(function (item, n) {
      var head = (n === 0 && inline ? "" : " ".repeat(indent)) + "-";
      if (isMapping(item) && Object.keys(item).length) return head + " " + mapping(item, indent + 2, true);
      if (Array.isArray(item) && item.length) return head + " " + sequence(item, indent + 2, true);
      if (Array.isArray(item)) return head + " []\n";
      if (isMapping(item)) return head + " {}\n";
      return head + " " + scalar(item, indent + 2);
    }).join("");
  }

  function yamlText(data) { return isMapping(data) ? mapping(data, 0, false) : sequence(data, 0, false); }

  // -- Chinese messages, as validation/messages.py words them -------------------------------------

  var TYPE_NAMES = { string: "文字", integer: "整数", number: "数字", boolean: "true 或 false", object: "映射", array: "列表", null: "空值" };

  function typeOf(v) {
    if (v === null || v === undefined) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
  }

  function shown(v) {
    var s = typeof v === "string" ? v : JSON.stringify(v);
    return s.length > 40 ? s.slice(0, 39) + "…" : s;
  }

  function sizeMessage(field, keyword, limit, value) {
    switch (keyword) {
      case "minLength": return limit === 1 ? field + "不能为空" : field + "至少 " + limit + " 个字";
      case "maxLength": return field + "有 " + Array.from(value).length + " 个字，超过上限 " + limit + " 个字";
      case "minItems": return field + "至少要有 " + limit + " 项";
      case "maxItems": return limit ? field + "最多 " + limit + " 项" : field + "此时应当不填";
      case "minProperties": return field + "至少要填写 " + limit + " 个字段";
      case "maxProperties": return field + "最多 " + limit + " 个字段";
      case "minimum": return field + " " + value + " 小于最小值 " + limit;
      default: return field + " " + value + " 大于最大值 " + limit;
    }
  }

  function pointerParts(pointer) {
    return pointer ? pointer.split("/").slice(1).map(function (p) { return p.replace(/~1/g, "/").replace(/~0/g, "~"); }) : [];
  }

  // The spec of the field at a JSON pointer (list indexes skipped), and its title.
  function specAt(form, parts) {
    var fields = form.fields, spec = null;
    for (var i = 0; i < parts.length; i++) {
      if (/^\d+$/.test(parts[i]) && spec && spec.widget === "list") { spec = spec.item; fields = spec.fields || []; continue; }
      spec = (fields || []).find(function (f) { return f.key === parts[i]; }) || null;
      if (!spec) return null;
      fields = spec.fields || [];
    }
    return spec;
  }

  function labelAt(form, parts) {
    for (var end = parts.length; end > 0; end--) {
      if (/^\d+$/.test(parts[end - 1])) continue;
      var spec = specAt(form, parts.slice(0, end));
      if (spec && spec.title) return spec.title;
    }
    return form.title;
  }

  function messages(form, errors, data) {
    var found = [];
    var blank = ((form.common.$defs || {}).short_text || {}).pattern;
    errors.forEach(function (e) {
      var parts = pointerParts(e.instancePath);
      var field = parts.length ? labelAt(form, parts) : form.title;
      var spec = specAt(form, parts) || {};
      var value = parts.reduce(function (v, p) { return v === undefined || v === null ? undefined : v[p]; }, data);
      var add = function (where, text, hint) { found.push({ pointer: where, message: text, hint: hint || "" }); };
      var p = e.params || {};
      switch (e.keyword) {
        case "required":
          add(parts.concat([p.missingProperty]), "缺少必填字段 “" + p.missingProperty + "”（" + labelAt(form, parts.concat([p.missingProperty])) + "）");
          break;
        case "dependentRequired":
          add(parts.concat([p.missingProperty]), "填写了 “" + p.property + "” 时必须同时填写 “" + p.missingProperty + "”（" + labelAt(form, parts.concat([p.missingProperty])) + "）", spec.description);
          break;
        case "additionalProperties": case "unevaluatedProperties":
          add(parts, "未知字段 “" + (p.additionalProperty || p.unevaluatedProperty) + "”");
          break;
        case "type":
          add(parts, field + "应为" + String(p.type).split(",").map(function (t) { return TYPE_NAMES[t] || t; }).join("或") + "，实际是" + TYPE_NAMES[typeOf(value)] + " “" + shown(value) + "”", spec.description);
          break;
        case "enum": case "const": {
          var choices = e.keyword === "enum" ? p.allowedValues : [p.allowedValue];
          var labels = {};
          (spec.choices || []).forEach(function (c) { labels[c[0]] = c[1]; });
          add(parts, field + "的取值 “" + shown(value) + "” 不在允许范围内", "可选：" + choices.map(function (c) { return c in labels ? c + "（" + labels[c] + "）" : String(c); }).join("、"));
          break;
        }
        case "format":
          add(parts, field + " “" + shown(value) + "” 不是有效的日期", "日期写成 YYYY-MM-DD，且必须是日历上存在的日子。");
          break;
        case "pattern":
          if (p.pattern === blank) { if (value) add(parts, field + "只有空白或看不见的字符（“" + shown(value) + "”）", "请填写看得见的文字：空格、零宽空格和其他不显示的字符不算内容。"); }
          else add(parts, field + " “" + shown(value) + "” 的写法不正确", spec.description);
          break;
        case "minLength": case "maxLength": case "minItems": case "maxItems": case "minProperties": case "maxProperties": case "minimum": case "maximum":
          add(parts, sizeMessage(field, e.keyword, p.limit, value), spec.description);
          break;
        case "uniqueItems":
          add(parts, field + "中有重复的项", "请删去重复项。");
          break;
        case "not":
          if (typeof value === "string") add(parts, field + " “" + shown(value) + "” 含有不允许的字符", spec.description);
          else {
            var both = ((e.schema && e.schema.required) || []).filter(function (k) { return value && k in value; });
            add(parts, field + "中 " + both.join(" 和 ") + " 不能同时填写", spec.description);
          }
          break;
        case "if": case "anyOf": case "oneOf": case "allOf": case "then": case "else":
          break; // the errors inside say what is wrong
        default:
          add(parts, field + "不符合要求", spec.description);
      }
    });
    return found;
  }

  // -- the validator (the bundled Ajv, loaded on first use) ---------------------------------------

  var scripts = {};
  function loadScript(src) {
    if (!scripts[src]) scripts[src] = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src; s.onload = resolve; s.onerror = function () { reject(new Error(src)); };
      document.head.appendChild(s);
    });
    return scripts[src];
  }

  function isDate(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return false;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  }

  function validator(base, form, pointer) {
    return loadScript(base + "javascripts/vendor/ajv2020.min.js").then(function () {
      var Ajv = window.ajv2020;
      var ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
      ajv.addFormat("date", isDate);
      ajv.addSchema(form.common);
      return pointer ? ajv.getSchema(form.common.$id + pointer) : ajv.compile(form.schema);
    });
  }

  // -- drawing the fields --------------------------------------------------------------------------

  var counter = 0;
  function uid() { counter += 1; return "ld-f" + counter; }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) node.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  // A reference picker: type part of a name (or the id), choose from the list.
  function picker(input, records, type, onChange) {
    var list = el("ul", { role: "listbox", id: input.id + "-list", class: "ld-picker-list", hidden: true });
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    var active = -1, shownRows = [];
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; }
    function choose(row) {
      input.value = row[0];
      input.dataset.name = row[2] || row[0];
      hintName();
      close();
      onChange();
    }
    var nameNote = el("span", { class: "ld-picker-name", "aria-live": "polite" });
    function hintName() {
      var row = records.byId[input.value.trim()];
      nameNote.textContent = row && row[1] === type ? row[2] : "";
    }
    function fill() {
      var q = input.value.trim().toLowerCase();
      shownRows = records.rows.filter(function (r) {
        return r[1] === type && (!q || r[0].toLowerCase().indexOf(q) >= 0 || r.slice(2).some(function (n) { return n.toLowerCase().indexOf(q) >= 0; }));
      }).slice(0, 20);
      list.textContent = "";
      shownRows.forEach(function (r, n) {
        var li = el("li", { role: "option", id: input.id + "-opt" + n, "aria-selected": "false", text: r[2] + "（" + r[0] + "）" });
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(r); });
        list.appendChild(li);
      });
      list.hidden = !shownRows.length;
      input.setAttribute("aria-expanded", shownRows.length ? "true" : "false");
      active = -1;
    }
    function move(step) {
      if (list.hidden) fill();
      if (!shownRows.length) return;
      active = (active + step + shownRows.length) % shownRows.length;
      Array.from(list.children).forEach(function (li, n) { li.setAttribute("aria-selected", n === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", input.id + "-opt" + active);
    }
    input.addEventListener("input", function () { fill(); hintName(); });
    input.addEventListener("focus", fill);
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { ev.preventDefault(); move(1); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); move(-1); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); choose(shownRows[active]); }
      else if (ev.key === "Escape") close();
    });
    hintName();
    return el("div", { class: "ld-picker" }, [input, nameNote, list]);
  }

  // A drawn field: `node` in the page, `read()` its value (undefined when empty), `at` the
  // fields' elements by JSON pointer (filled by read) for the messages.
  function draw(spec, value, ctx, required) {
    var id = uid();
    var describe = spec.description ? id + "-d" : null;
    var label = spec.title + (required ? "（必填）" : "");
    var errorBox = el("div", { class: "ld-field-error", id: id + "-e", "aria-live": "polite" });
    var described = [describe, id + "-e"].filter(Boolean).join(" ");
    var input, read;
    if (spec.widget === "object") {
      var parts = spec.fields.map(function (f) { return { spec: f, drawn: draw(f, value ? value[f.key] : undefined, ctx, f.required) }; });
      var box = el("fieldset", { class: "ld-fieldset", "data-key": spec.key }, [el("legend", { text: label }), spec.description ? el("p", { class: "ld-field-help", text: spec.description }) : null, errorBox].concat(parts.map(function (p) { return p.drawn.node; })));
      return {
        node: box, error: errorBox,
        read: function (pointer, at) {
          at[pointer] = this;
          var out = {}, any = false;
          parts.forEach(function (p) { var v = p.drawn.read(pointer + "/" + p.spec.key, at); if (v !== undefined) { out[p.spec.key] = v; any = true; } });
          return any ? out : undefined;
        },
      };
    }
    if (spec.widget === "list") {
      var items = [];
      var holder = el("div", { class: "ld-list-items" });
      var add = el("button", { type: "button", class: "ld-button ld-list-add", text: "添加一项" + spec.item.title });
      var box2 = el("fieldset", { class: "ld-fieldset ld-list", "data-key": spec.key }, [el("legend", { text: label }), spec.description ? el("p", { class: "ld-field-help", text: spec.description }) : null, errorBox, holder, add]);
      var addItem = function (v) {
        var drawn = draw(spec.item, v, ctx, false);
        var remove = el("button", { type: "button", class: "ld-button ld-list-remove", text: "删除此项" });
        var row = el("div", { class: "ld-list-item" }, [drawn.node, remove]);
        var entry = { drawn: drawn, row: row };
        remove.addEventListener("click", function () { items.splice(items.indexOf(entry), 1); row.remove(); ctx.changed(); });
        items.push(entry);
        holder.appendChild(row);
        return drawn;
      };
      if (Array.isArray(value)) value.forEach(addItem);
      else if (value === undefined && (required || spec.open) && !ctx.restored) addItem(undefined); // a row to fill
      add.addEventListener("click", function () { var d = addItem(undefined); var first = d.node.querySelector("input, select, textarea"); if (first) first.focus(); ctx.changed(); });
      return {
        node: box2, error: errorBox,
        read: function (pointer, at) {
          at[pointer] = this;
          var out = [];
          items.forEach(function (entry) { var v = entry.drawn.read(pointer + "/" + out.length, at); if (v !== undefined) out.push(v); });
          return out.length ? out : undefined;
        },
      };
    }
    var attrs = { id: id, name: spec.key || id, "aria-describedby": described, "data-key": spec.key };
    if (spec.widget === "select" || spec.widget === "boolean") {
      var choices = spec.widget === "boolean" ? [["true", "是"], ["false", "否"]] : spec.choices;
      input = el("select", attrs, [el("option", { value: "", text: "（未选）" })].concat(choices.map(function (c) { return el("option", { value: c[0], text: c[1] + (c[1] === c[0] ? "" : "（" + c[0] + "）") }); })));
      if (value !== undefined) input.value = String(value);
      read = function () { var v = input.value; if (!v) return undefined; return spec.widget === "boolean" ? v === "true" : v; };
    } else if (spec.widget === "textarea") {
      input = el("textarea", Object.assign(attrs, { rows: 3 }));
      if (value !== undefined) input.value = value;
      read = function () {
        var v = input.value.replace(/\r\n?/g, "\n").split("\n").map(function (l) { return l.replace(/[ \t]+$/, ""); }).join("\n").trim();
        return v || undefined;
      };
    } else {
      var type = { date: "date", time: "time", number: "number" }[spec.widget] || "text";
      input = el("input", Object.assign(attrs, { type: type }));
      if (spec.widget === "number") input.step = spec.integer ? "1" : "any";
      if (value !== undefined) input.value = String(value);
      read = function () {
        var v = input.value.trim();
        if (!v) return undefined;
        if (spec.widget === "number") { var n = Number(v); return Number.isFinite(n) ? n : v; }
        return v;
      };
    }
    var touched = function () { input.dataset.touched = "1"; ctx.changed(); };
    input.addEventListener("input", touched);
    input.addEventListener("change", touched);
    if (value !== undefined && ctx.restored) input.dataset.touched = "1";
    var control = spec.widget === "ref" ? picker(input, ctx.records, spec.ref, ctx.changed) : input;
    var node = el("div", { class: "ld-field", "data-key": spec.key }, [
      el("label", { for: id, text: label }),
      describe ? el("p", { class: "ld-field-help", id: describe, text: spec.description }) : null,
      control, errorBox,
    ]);
    return { node: node, error: errorBox, input: input, read: function (pointer, at) { at[pointer] = this; return read(); } };
  }

  // -- records index ------------------------------------------------------------------------------

  function recordsIndex(rows) {
    var byId = {};
    // [id, type, names…] → [id, type, first name, other names…]
    rows.forEach(function (r) { byId[r[0]] = r; });
    return { rows: rows, byId: byId };
  }

  // Checks across records that run here: the id is free, references name records of their type.
  function crossRecord(form, data, records, at) {
    var found = [];
    var prefix = form.id_prefix + "-";
    if (data.id && records.byId[data.id]) found.push({ pointer: ["id"], message: "编号 “" + data.id + "” 已经存在", hint: "下一个可用编号是 " + form.next_id + "。" });
    if (data.id && data.id.indexOf(prefix) !== 0) found.push({ pointer: ["id"], message: "编号应以 " + prefix + " 开头", hint: "例如 " + form.next_id });
    Object.keys(at).forEach(function (pointer) {
      var drawn = at[pointer];
      var parts = pointerParts(pointer);
      var spec = specAt(form, parts);
      if (!spec || spec.widget !== "ref" || !drawn.input) return;
      var v = drawn.input.value.trim();
      var row = records.byId[v];
      if (!v) return;
      if (!row || row[1] !== spec.ref) {
        var title = (form.types || {})[spec.ref] || "";
        found.push({ pointer: parts, message: labelAt(form, parts) + " “" + v + "” 不存在", hint: "请从列表中选择已有的" + title + "记录（输入名称的一部分即可查找）。" });
      }
    });
    return found;
  }

  // Each problem below its field; before the first submit, only at the fields already filled in
  // (an empty form is not a list of errors).
  function show(at, problems, summary, all) {
    Object.keys(at).forEach(function (p) { var d = at[p]; if (d.error !== summary) d.error.textContent = ""; if (d.input) d.input.removeAttribute("aria-invalid"); });
    summary.textContent = "";
    var shownCount = 0;
    problems.forEach(function (problem) {
      var parts = problem.pointer.slice();
      var target = at["/" + parts.join("/")];
      while (!target && parts.length) { parts.pop(); target = at[parts.length ? "/" + parts.join("/") : ""]; }
      if (!all && !(target && target.input && target.input.dataset.touched)) return;
      shownCount += 1;
      var line = problem.message + (problem.hint ? "。" + problem.hint : "");
      var box = (target || at[""]).error;
      box.appendChild(el("p", { text: line }));
      var folded = box.closest("details");
      if (folded) folded.open = true; // a problem in a folded group is not hidden
      if (target && target.input) target.input.setAttribute("aria-invalid", "true");
    });
    if (all && problems.length) summary.insertBefore(el("p", { text: "还有 " + problems.length + " 处需要修改（见各栏下方的说明）。" }), summary.firstChild);
    return shownCount;
  }

  // -- handing the file over -----------------------------------------------------------------------

  var URL_LIMIT = 8000; // forges refuse longer URLs (about 8 KB)

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return fallbackCopy(text); });
    return Promise.resolve(fallbackCopy(text));
  }
  function fallbackCopy(text) {
    var area = el("textarea", { "aria-hidden": "true", style: "position:fixed;left:-9999px" });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
    area.remove();
    return ok;
  }
  function download(name, text) {
    var a = el("a", { href: URL.createObjectURL(new Blob([text], { type: "application/yaml;charset=utf-8" })), download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function newFileUrl(form, name, text) {
    var base = form.new_file_url + "?filename=" + encodeURIComponent(name);
    var full = base + "&value=" + encodeURIComponent(text);
    return { full: full, fits: full.length <= URL_LIMIT, base: base };
  }

  // -- the new-record form -------------------------------------------------------------------------

  function draftKey(form) { return "liandong-draft:" + form.type; }

  function newRecordForm(root, form, records, base) {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(draftKey(form)) || "null"); } catch (err) { saved = null; }
    var start = saved ? saved.data : {};
    var check = null, timer = null;
    var attempted = false;
    var keep = false; // a draft is kept from the first change on, and again after a submit
    var ctx = { records: records, restored: !!saved, changed: function () { keep = true; clearTimeout(timer); timer = setTimeout(update, 250); } };
    var drawn = form.fields.map(function (f) {
      var v = start[f.key];
      if (v === undefined && !saved) {
        if (f.widget === "id") v = form.next_id;
        else if ("default" in f && (f.key === "status" || f.key === "visibility")) v = f.default;
        else if (f.today && f.required) v = today();
      }
      return { spec: f, drawn: draw(f, v, ctx, f.required) };
    });
    var summary = el("div", { class: "ld-form-summary", role: "status", "aria-live": "polite" });
    var note = el("div", { class: "ld-form-note", role: "status", "aria-live": "polite" });
    var preview = el("pre", { class: "ld-form-preview" }, [el("code", {})]);
    var submit = el("button", { type: "button", class: "ld-button ld-button--primary", "data-action": "submit", text: form.new_file_url ? "提交修改请求" : "复制文件内容" });
    var save = el("button", { type: "button", class: "ld-button", "data-action": "download", text: "下载文件" });
    var discard = el("button", { type: "button", class: "ld-button", "data-action": "discard", text: "放弃草稿" });
    var later = drawn.filter(function (d) { return d.spec.later; });
    var fields = el("div", { class: "ld-form-fields" }, drawn.filter(function (d) { return !d.spec.later; }).map(function (d) { return d.drawn.node; }));
    if (later.length) {
      var more = el("details", { class: "ld-form-later" }, [el("summary", { text: "办理过程中填写的栏目（新建时通常不填）" })].concat(later.map(function (d) { return d.drawn.node; })));
      if (later.some(function (d) { return start[d.spec.key] !== undefined; })) more.open = true;
      fields.appendChild(more);
    }
    var details = el("details", { class: "ld-form-yaml" }, [el("summary", { text: "查看将要提交的文件内容" }), preview]);
    root.textContent = "";
    if (saved) root.appendChild(el("p", { class: "ld-form-restored", role: "status", text: "已恢复上次未提交的草稿（" + saved.saved + "）。不需要时请点“放弃草稿”。" }));
    root.appendChild(el("form", { class: "ld-form", novalidate: true, "aria-label": "新建" + form.title }, [fields, summary, el("div", { class: "ld-form-actions" }, [submit, save, discard]), note, details]));

    var current = { data: {}, text: "", at: {}, problems: [] };
    function read() {
      var at = {}, data = {};
      drawn.forEach(function (d) { var v = d.drawn.read("/" + d.spec.key, at); if (v !== undefined) data[d.spec.key] = v; });
      at[""] = { error: summary };
      return { data: data, at: at };
    }
    function update() {
      var got = read();
      current.data = got.data; current.at = got.at;
      current.text = form.first_line + "\n" + yamlText(got.data);
      preview.firstChild.textContent = current.text;
      if (keep) try { localStorage.setItem(draftKey(form), JSON.stringify({ saved: new Date().toLocaleString("zh-CN"), data: got.data })); } catch (err) { /* private mode: no draft */ }
      return (check || Promise.reject(new Error("no validator"))).then(function (validate) {
        var problems = validate(got.data) ? [] : messages(form, validate.errors || [], got.data);
        problems = problems.concat(crossRecord(form, got.data, records, got.at));
        current.problems = problems;
        show(got.at, problems, summary, attempted);
        root.dataset.valid = problems.length ? "false" : "true";
        return problems;
      });
    }
    function forget() { keep = false; clearTimeout(timer); localStorage.removeItem(draftKey(form)); }
    function fileName() { return (current.data.id || form.next_id) + ".yaml"; }
    function ready() {
      attempted = true;
      return update().then(function (problems) {
        if (problems.length) {
          note.textContent = "请先按红字修改，再提交。";
          var first = root.querySelector("[aria-invalid=true]");
          if (first) first.focus();
          return false;
        }
        return true;
      });
    }
    submit.addEventListener("click", function () {
      ready().then(function (ok) {
        if (!ok) return;
        var text = current.text;
        if (!form.new_file_url) {
          copy(text).then(function (copied) {
            note.textContent = copied ? "文件内容已复制到剪贴板。请在仓库的 " + form.folder + "/ 中新建文件 " + fileName() + " 并粘贴，或点“下载文件”。" : "无法自动复制：请点“下载文件”，或展开下方的文件内容手动复制。";
          });
          return;
        }
        var url = newFileUrl(form, fileName(), text);
        if (url.fits) {
          window.open(url.full, "_blank", "noopener");
          note.textContent = "已在新窗口打开仓库的新建文件页面，文件名和内容都已填好；请在那里填写说明并提交修改请求。";
          forget();
        } else {
          copy(text).then(function (copied) {
            window.open(url.base, "_blank", "noopener");
            note.textContent = "内容较长，无法放进链接：已打开新建文件页面并填好文件名，" + (copied ? "文件内容已复制到剪贴板，请粘贴到内容框中" : "请点“下载文件”后把内容粘贴到内容框中") + "，再提交修改请求。";
            root.dataset.fallback = copied ? "clipboard" : "download";
          });
        }
      });
    });
    save.addEventListener("click", function () {
      ready().then(function (ok) {
        if (!ok) return;
        download(fileName(), current.text);
        note.textContent = "已下载 " + fileName() + "：请把它放到仓库的 " + form.folder + "/ 中提交。";
      });
    });
    discard.addEventListener("click", function () {
      forget();
      newRecordForm(root, form, records, base);
      root.querySelector(".ld-form-note").textContent = "草稿已放弃。";
    });
    check = validator(base, form);
    return update().then(function () { return api(); });
    function api() { return { update: update, current: current, yaml: function () { return current.text; } }; }
  }

  // -- 追加进度 on a record page ----------------------------------------------------------------------

  function progressForm(root, form, records, base) {
    var spot = root.dataset;
    var entrySpec = specAt(form, ["progress"]).item;
    var ctx = { records: records, changed: function () { update(); } };
    var drawn = entrySpec.fields.map(function (f) {
      var v = f.key === "date" ? today() : f.key === "by" ? spot.by || undefined : undefined;
      return { spec: f, drawn: draw(f, v, ctx, f.required) };
    });
    var summary = el("div", { class: "ld-form-summary", role: "status", "aria-live": "polite" });
    var out = el("pre", { class: "ld-form-preview" }, [el("code", {})]);
    var where = el("p", { class: "ld-append-where" });
    var copyButton = el("button", { type: "button", class: "ld-button ld-button--primary", "data-action": "copy", text: spot.edit ? "复制这几行并打开编辑页面" : "复制这几行" });
    var note = el("div", { class: "ld-form-note", role: "status", "aria-live": "polite" });
    var box = root.querySelector(".ld-append-form");
    box.textContent = "";
    box.appendChild(el("form", { class: "ld-form", novalidate: true, "aria-label": "追加进度" }, drawn.map(function (d) { return d.drawn.node; }).concat([summary, where, out, copyButton, note])));
    var check = validator(base, form, "#/$defs/progress_entry");
    var lines = "", attempted = false;
    function update() {
      var at = {}, entry = {};
      drawn.forEach(function (d) { var v = d.drawn.read("/" + d.spec.key, at); if (v !== undefined) entry[d.spec.key] = v; });
      at[""] = { error: summary };
      var indent = Number(spot.indent || 0);
      lines = sequence([entry], indent);
      if (spot.opens === "true") lines = "progress:\n" + lines;
      out.firstChild.textContent = lines;
      where.textContent = spot.opens === "true" ? "把下面几行加到文件 " + spot.path + " 的末尾（第 " + spot.line + " 行之后）：" : "把下面几行插入文件 " + spot.path + " 第 " + spot.line + " 行之后（“办理进度”的最后一项之后）：";
      return check.then(function (validate) {
        var mini = { title: "进度", common: form.common, fields: entrySpec.fields };
        var problems = validate(entry) ? [] : messages(mini, validate.errors || [], entry);
        if (entry.date && spot.min && entry.date < spot.min) problems.push({ pointer: ["date"], message: "进度日期 " + entry.date + " 早于上一条记录的日期 " + spot.min, hint: "进度按日期排列，只能追加在后面；更正以前的进度请新增一条说明，不要改写旧记录。" });
        if (entry.date && entry.date > today()) problems.push({ pointer: ["date"], message: "进度日期 " + entry.date + " 晚于今天", hint: "只记录已经发生的进度。" });
        if (entry.by && (!records.byId[entry.by] || records.byId[entry.by][1] !== "organizations")) problems.push({ pointer: ["by"], message: "报送单位 “" + entry.by + "” 不存在", hint: "请从列表中选择单位。" });
        show(at, problems, summary, attempted);
        root.dataset.valid = problems.length ? "false" : "true";
        return problems;
      });
    }
    copyButton.addEventListener("click", function () {
      attempted = true;
      update().then(function (problems) {
        if (problems.length) { note.textContent = "请先按红字修改。"; return; }
        copy(lines).then(function (copied) {
          if (spot.edit) window.open(spot.edit, "_blank", "noopener");
          note.textContent = (copied ? "已复制。" : "无法自动复制，请手动选中上面的几行复制。") + (spot.edit ? "已打开编辑页面：" : "") + "请按上面说的位置粘贴，再提交修改请求。";
        });
      });
    });
    return update().then(function () { return { lines: function () { return lines; }, update: update }; });
  }

  // -- start --------------------------------------------------------------------------------------

  function fetchJson(url) {
    return fetch(url).then(function (r) { if (!r.ok) throw new Error(url + ": " + r.status); return r.json(); });
  }

  var ready = {};
  function start(root, kind) {
    var base = root.dataset.base;
    var made = Promise.all([fetchJson(root.dataset.form), fetchJson(base + "contribute/records.json")]).then(function (got) {
      var records = recordsIndex(got[1]);
      return kind === "new" ? newRecordForm(root.querySelector(".ld-new-form"), got[0], records, base) : progressForm(root, got[0], records, base);
    });
    made.catch(function (err) {
      root.appendChild(el("p", { class: "ld-form-error", role: "alert", text: "表单无法加载（" + err.message + "）。请通过 HTTP 打开本站，或改用“参与贡献”页介绍的其他方法。" }));
    });
    return made;
  }

  function init() {
    document.querySelectorAll("[data-ld-new-form]").forEach(function (root) { ready.form = start(root, "new"); });
    document.querySelectorAll("details[data-ld-append]").forEach(function (root) {
      root.addEventListener("toggle", function () { if (root.open && !ready.progress) ready.progress = start(root, "progress"); });
    });
  }

  window.LiandongForms = { yamlText: yamlText, ready: ready };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
