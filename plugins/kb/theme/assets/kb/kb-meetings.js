/* The action tracker's filters: state lives in the URL (?network=&owner=&status=&group=). The page holds
   only the first open actions; the rows come from JSON files (open.json: every open action;
   rows/<network>.json: every action of a network), fetched when a filter needs them. The view shows at
   most SHOW_LIMIT rows, and the CSV link downloads exactly the filtered rows (all of them), built from
   each row's CSV cells. Entry text is only ever written as text (textContent), never as HTML. */
(function () {
  "use strict";

  var FORMULA = /^[=+\-@\t\r]/;

  function safeCell(value) {
    var text = value == null ? "" : String(value);
    return FORMULA.test(text) ? "'" + text : text;
  }

  function csvCell(value) {
    var text = safeCell(value);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function toCsv(header, rows) {
    return [header].concat(rows).map(function (cells) { return cells.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }

  var SHOW_LIMIT = 200;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function setUp(form) {
    var fields = ["network", "owner", "status", "group"];
    var defaults = { network: "", owner: "", status: "open", group: "network" };
    var count = document.getElementById("kb-tracker-count");
    var link = document.getElementById("kb-tracker-csv");
    var header = JSON.parse(document.getElementById("kb-tracker-header").textContent);
    var networks = JSON.parse(document.getElementById("kb-tracker-networks").textContent);
    var withActions = JSON.parse(form.dataset.networks || "[]");
    var base = form.dataset.rows || "./";
    var views = document.querySelectorAll(".kb-tracker-view");
    var loaded = {};  // file name -> promise of rows
    var blobUrl = null;
    var generation = 0;

    function load(name) {
      if (!loaded[name]) {
        loaded[name] = fetch(base + name).then(function (response) {
          if (!response.ok) throw new Error(name + ": " + response.status);
          return response.json();
        });
      }
      return loaded[name];
    }

    function state() {
      var s = {};
      fields.forEach(function (name) { s[name] = form.elements[name].value; });
      return s;
    }

    function rowsFor(s) {
      if (s.status === "open" || s.status === "overdue") return load("open.json");
      var names = s.network ? [s.network] : withActions;
      names = names.filter(function (n) { return withActions.indexOf(n) >= 0; });
      return Promise.all(names.map(function (n) { return load("rows/" + n + ".json"); }))
        .then(function (lists) { return [].concat.apply([], lists); });
    }

    function matches(row, s) {
      if (s.network && row.network !== s.network) return false;
      if (s.owner && row.owner !== s.owner) return false;
      if (s.status === "all") return true;
      if (s.status === "overdue") return row.overdue > 0;
      return row.status === s.status;
    }

    function fillOwners(all, s) {
      // The owner list holds the owners of the rows the other filters select, so it stays short.
      var select = form.elements.owner;
      var seen = {};
      all.forEach(function (row) { if (matches(row, { network: s.network, owner: "", status: s.status })) seen[row.owner] = true; });
      if (s.owner) seen[s.owner] = true;
      var names = Object.keys(seen).sort(function (a, b) {
        var x = a.toLowerCase(), y = b.toLowerCase();
        return x < y ? -1 : x > y ? 1 : 0;
      });
      while (select.options.length > 1) select.remove(1);
      names.forEach(function (name) { select.add(new Option(name, name)); });
      select.value = s.owner;
    }

    function statusCell(row) {
      if (row.overdue > 0) {
        var span = el("span", "kb-overdue");
        var mark = el("span", "kb-overdue__mark", "!");
        mark.setAttribute("aria-hidden", "true");
        span.appendChild(mark);
        span.appendChild(document.createTextNode(" Overdue by " + row.overdue + (row.overdue === 1 ? " day" : " days")));
        return span;
      }
      return el("span", "kb-action-status kb-action-status--" + row.status, row.statusText);
    }

    function cell(label, content) {
      var td = el("td");
      td.setAttribute("data-label", label);
      if (typeof content === "string") td.textContent = content; else if (content) td.appendChild(content);
      return td;
    }

    function tableRow(row, mode) {
      var tr = el("tr", "kb-tracker-row" + (row.overdue > 0 ? " kb-row--overdue" : ""));
      tr.dataset.key = row.key;
      tr.dataset.network = row.network;
      tr.dataset.owner = row.owner;
      tr.dataset.status = row.status;
      tr.dataset.overdue = row.overdue > 0 ? "1" : "0";
      tr.appendChild(cell("Action", row.action));
      var other = mode === "network" ? row.owner : (networks[row.network] || { title: row.network }).title;
      tr.appendChild(cell(mode === "network" ? "Owner" : "Network", other));
      var due = null;
      if (row.due) { due = el("time", null, row.dueText); due.setAttribute("datetime", row.due); }
      tr.appendChild(cell("Due", due));
      tr.appendChild(cell("Status", statusCell(row)));
      var agreed = el("a", null, row.meetingText);
      agreed.href = row.href;
      tr.appendChild(cell("Agreed at", agreed));
      return tr;
    }

    function groupBox(mode, key, index, label) {
      var box = el("div", "kb-tracker-group");
      box.dataset.group = key;
      var h2 = el("h2");
      h2.id = "kb-" + mode + "-" + index;
      var net = mode === "network" ? networks[key] : null;
      if (net) { var a = el("a", null, net.title); a.href = net.href; h2.appendChild(a); } else { h2.textContent = label; }
      box.appendChild(h2);
      var wrap = el("div", "kb-table-wrap");
      var table = el("table", "kb-actions");
      table.setAttribute("aria-labelledby", h2.id);
      var head = el("thead"), tr = el("tr");
      ["Action", mode === "network" ? "Owner" : "Network", "Due", "Status", "Agreed at"].forEach(function (name) {
        var th = el("th", null, name); th.setAttribute("scope", "col"); tr.appendChild(th);
      });
      head.appendChild(tr);
      table.appendChild(head);
      var body = el("tbody");
      table.appendChild(body);
      wrap.appendChild(table);
      box.appendChild(wrap);
      return { box: box, body: body };
    }

    function render(view, mode, rows) {
      var holder = view.querySelector(".kb-tracker-groups");
      holder.textContent = "";
      var rankKey = mode === "network" ? "rank" : "ownerRank";
      var sorted = rows.slice().sort(function (a, b) { return a[rankKey] - b[rankKey]; });
      var current = null, currentKey = null, index = 0;
      sorted.slice(0, SHOW_LIMIT).forEach(function (row) {
        var key = mode === "network" ? row.network : row.ownerKey;
        if (key !== currentKey) {
          index += 1;
          current = groupBox(mode, key, index, mode === "network" ? row.network : row.owner);
          holder.appendChild(current.box);
          currentKey = key;
        }
        current.body.appendChild(tableRow(row, mode));
      });
      view.querySelector(".kb-tracker-empty").hidden = rows.length > 0;
      return sorted;
    }

    function apply(pushUrl) {
      var s = state();
      var mine = ++generation;
      form.removeAttribute("data-ready");
      form.setAttribute("aria-busy", "true");
      return rowsFor(s).then(function (all) {
        if (mine !== generation) return;
        fillOwners(all, s);
        var rows = all.filter(function (row) { return matches(row, s); });
        var shown = [];
        Array.prototype.forEach.call(views, function (view) {
          var active = view.dataset.view === s.group;
          view.hidden = !active;
          if (active) shown = render(view, s.group, rows);
        });
        var n = shown.length;
        count.textContent = n > SHOW_LIMIT
          ? n + " actions match; the first " + SHOW_LIMIT + " are shown. The CSV download holds all " + n + "."
          : n + (n === 1 ? " action" : " actions") + " shown.";
        if (blobUrl) URL.revokeObjectURL(blobUrl);
        var cells = shown.map(function (row) { return row.csv; });
        blobUrl = URL.createObjectURL(new Blob([toCsv(header, cells)], { type: "text/csv;charset=utf-8" }));
        link.href = blobUrl;
        var suffix = [s.network, s.status !== "open" ? s.status : ""].filter(Boolean).join("-");
        link.setAttribute("download", "actions" + (suffix ? "-" + suffix : "") + ".csv");
        if (pushUrl) {
          var params = new URLSearchParams();
          fields.forEach(function (name) { if (s[name] !== defaults[name]) params.set(name, s[name]); });
          var query = params.toString();
          history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
        }
        form.removeAttribute("aria-busy");
        form.setAttribute("data-ready", "");
      }).catch(function () {
        if (mine !== generation) return;
        form.removeAttribute("aria-busy");
        count.textContent = "The actions could not be loaded. The CSV download holds every open action.";
        link.href = base + "actions.csv";
      });
    }

    function readUrl() {
      var params = new URLSearchParams(location.search);
      fields.forEach(function (name) {
        var select = form.elements[name];
        var wanted = params.has(name) ? params.get(name) : defaults[name];
        var known = Array.prototype.some.call(select.options, function (o) { return o.value === wanted; });
        if (!known && name === "owner" && wanted) {  // owners beyond the page's first rows are listed once rows load
          select.add(new Option(wanted, wanted));
          known = true;
        }
        select.value = known ? wanted : defaults[name];
      });
    }

    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply(true).then(function () { count.focus(); });
    });
    count.setAttribute("tabindex", "-1");
    window.addEventListener("popstate", function () { readUrl(); apply(false); });
    readUrl();
    apply(false);
  }

  function start() {
    var form = document.querySelector("form[data-kb-tracker]");
    if (form) setUp(form);
  }

  // Material's instant navigation swaps pages without a reload; run on each page it shows.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
