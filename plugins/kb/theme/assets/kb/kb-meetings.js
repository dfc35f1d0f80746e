/* The action tracker's filters: state lives in the URL (?network=&owner=&status=&group=), rows are
   shown or hidden (never rebuilt), and the CSV link downloads exactly the rows shown, built from each
   row's data-csv cells. Entry text is only ever read from data attributes and written as text. */
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

  function setUp(form) {
    var fields = ["network", "owner", "status", "group"];
    var defaults = { network: "", owner: "", status: "open", group: "network" };
    var count = document.getElementById("kb-tracker-count");
    var link = document.getElementById("kb-tracker-csv");
    var header = JSON.parse(document.getElementById("kb-tracker-header").textContent);
    var views = document.querySelectorAll(".kb-tracker-view");
    var blobUrl = null;

    function state() {
      var s = {};
      fields.forEach(function (name) { s[name] = form.elements[name].value; });
      return s;
    }

    function matches(row, s) {
      if (s.network && row.dataset.network !== s.network) return false;
      if (s.owner && row.dataset.owner !== s.owner) return false;
      if (s.status === "all") return true;
      if (s.status === "overdue") return row.dataset.overdue === "1";
      return row.dataset.status === s.status;
    }

    function apply(pushUrl) {
      var s = state();
      var shownRows = [];
      Array.prototype.forEach.call(views, function (view) {
        var active = view.dataset.view === s.group;
        view.hidden = !active;
        var any = false;
        view.querySelectorAll(".kb-tracker-group").forEach(function (group) {
          var visible = 0;
          group.querySelectorAll(".kb-tracker-row").forEach(function (row) {
            var show = matches(row, s);
            row.hidden = !show;
            if (show) {
              visible += 1;
              if (active) shownRows.push(JSON.parse(row.dataset.csv));
            }
          });
          group.hidden = visible === 0;
          any = any || visible > 0;
        });
        view.querySelector(".kb-tracker-empty").hidden = any;
      });
      count.textContent = shownRows.length + (shownRows.length === 1 ? " action" : " actions") + " shown.";
      if (blobUrl) URL.revokeObjectURL(blobUrl);
      blobUrl = URL.createObjectURL(new Blob([toCsv(header, shownRows)], { type: "text/csv;charset=utf-8" }));
      link.href = blobUrl;
      var suffix = [s.network, s.status !== "open" ? s.status : ""].filter(Boolean).join("-");
      link.setAttribute("download", "actions" + (suffix ? "-" + suffix : "") + ".csv");
      if (pushUrl) {
        var params = new URLSearchParams();
        fields.forEach(function (name) { if (s[name] !== defaults[name]) params.set(name, s[name]); });
        var query = params.toString();
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    function readUrl() {
      var params = new URLSearchParams(location.search);
      fields.forEach(function (name) {
        var select = form.elements[name];
        var wanted = params.has(name) ? params.get(name) : defaults[name];
        var known = Array.prototype.some.call(select.options, function (o) { return o.value === wanted; });
        select.value = known ? wanted : defaults[name];
      });
    }

    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); count.focus(); });
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
