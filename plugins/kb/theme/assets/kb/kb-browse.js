/* Behaviour for the browse pages; pages work without it.
 *
 * A listing page is static HTML (one page of cards). When a reader picks a filter we fetch the
 * listing's compact rows file once, filter and count in the browser, and render cards with
 * textContent only. The filter state lives in the query string (pushState), so a filtered
 * listing can be shared, reloaded and left with the back button.
 */
(function () {
  "use strict";
  var PAGE = 50;
  var listing = document.querySelector("[data-kb-listing]");
  if (!listing) return;
  var form = listing.querySelector("[data-kb-filters]");
  if (!form || !window.fetch || !window.URLSearchParams) return;

  var staticPart = listing.querySelector("[data-kb-static]");
  var results = listing.querySelector("[data-kb-results]");
  var more = listing.querySelector("[data-kb-more]");
  var status = listing.querySelector("[data-kb-status]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var facets = selects.map(function (s) { return s.name; });
  var rootUrl = new URL(listing.getAttribute("data-root"), location.href);
  var firstPath = new URL(listing.getAttribute("data-first"), location.href).pathname;
  var ownPath = location.pathname;
  var initialStatus = status.textContent;
  var initialText = new Map();
  selects.forEach(function (s) {
    Array.prototype.forEach.call(s.options, function (o) { initialText.set(o, o.textContent); });
  });
  var data = null, loading = null, matched = [], shown = 0, lastFacet = null;
  var dateFormat = null;  // made when a filter first shows a date: building it costs 30-80 ms on a phone, on every listing

  function formatDate(iso) {
    dateFormat = dateFormat || new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    return dateFormat.format(new Date(iso + "T00:00:00Z"));
  }

  form.hidden = false;

  function known(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value && value !== ""; });
  }

  function readState() {
    var params = new URLSearchParams(location.search), state = {};
    selects.forEach(function (s) {
      var v = params.get(s.name);
      if (v && known(s, v)) state[s.name] = v;
    });
    return state;
  }

  function formState() {
    var state = {};
    selects.forEach(function (s) { if (s.value) state[s.name] = s.value; });
    return state;
  }

  function urlFor(state) {
    var params = new URLSearchParams();
    facets.forEach(function (f) { if (state[f]) params.set(f, state[f]); });
    var query = params.toString();
    return query ? firstPath + "?" + query : ownPath;
  }

  function load() {
    if (!loading) {
      loading = fetch(listing.getAttribute("data-rows"), { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then(function (json) {
          var col = {};
          json.columns.forEach(function (name, i) { col[name] = i; });
          data = { types: json.types, rows: json.rows, col: col };
          return data;
        });
    }
    return loading;
  }

  function passes(row, state, except) {
    for (var i = 0; i < facets.length; i++) {
      var f = facets[i];
      if (f === except || !state[f]) continue;
      if (row[data.col[f]].indexOf(state[f]) === -1) return false;
    }
    return true;
  }

  function updateCounts(state) {
    selects.forEach(function (s) {
      var counts = {}, col = data.col[s.name];
      data.rows.forEach(function (row) {
        if (passes(row, state, s.name)) row[col].forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      Array.prototype.forEach.call(s.options, function (o) {
        if (!o.value) return;
        var n = counts[o.value] || 0;
        o.textContent = o.getAttribute("data-label") + " (" + n + ")";
        o.disabled = n === 0 && s.value !== o.value;
      });
    });
  }

  function restoreCounts() {
    initialText.forEach(function (text, option) { option.textContent = text; option.disabled = false; });
  }

  function card(row) {
    var li = document.createElement("li");
    li.className = "kb-card kb-card--" + row[data.col.type];
    var meta = document.createElement("p");
    meta.className = "kb-card__meta";
    var type = document.createElement("span");
    type.className = "kb-type";
    type.textContent = data.types[row[data.col.type]] || row[data.col.type];
    meta.appendChild(type);
    var iso = row[data.col.date];
    if (iso) {
      meta.appendChild(document.createTextNode(" · "));
      var time = document.createElement("time");
      time.setAttribute("datetime", iso);
      time.textContent = formatDate(iso);
      meta.appendChild(time);
    }
    var heading = document.createElement("h2");
    heading.className = "kb-card__title";
    var link = document.createElement("a");
    link.href = new URL(row[data.col.url], rootUrl).href;
    link.textContent = row[data.col.title];
    heading.appendChild(link);
    if (data.col.draft !== undefined && row[data.col.draft]) {  // kb serve's preview only: an entry not published
      heading.appendChild(document.createTextNode(" "));
      var badge = document.createElement("span");
      badge.className = "kb-badge kb-badge--draft";
      badge.textContent = row[data.col.draft];
      heading.appendChild(badge);
    }
    li.appendChild(meta);
    li.appendChild(heading);
    if (row[data.col.summary]) {
      var summary = document.createElement("p");
      summary.className = "kb-card__summary";
      summary.textContent = row[data.col.summary];
      li.appendChild(summary);
    }
    return li;
  }

  function showMore() {
    var next = matched.slice(shown, shown + PAGE);
    var fragment = document.createDocumentFragment();
    next.forEach(function (row) { fragment.appendChild(card(row)); });
    results.appendChild(fragment);
    shown += next.length;
    more.hidden = shown >= matched.length;
    more.textContent = "Show " + Math.min(PAGE, matched.length - shown) + " more";
  }

  function apply(state) {
    if (!Object.keys(state).length) {
      staticPart.hidden = false;
      results.hidden = true;
      more.hidden = true;
      results.textContent = "";
      status.textContent = initialStatus;
      restoreCounts();
      return Promise.resolve();
    }
    status.textContent = "Loading…";
    return load().then(function () {
      matched = data.rows.filter(function (row) { return passes(row, state, null); });
      updateCounts(state);
      results.textContent = "";
      shown = 0;
      staticPart.hidden = true;
      results.hidden = false;
      showMore();
      var n = matched.length;
      status.textContent = n + (n === 1 ? " entry matches" : " entries match") + " these filters, newest first.";
    }).catch(function () {
      status.textContent = "The filters could not be loaded; everything is listed below.";
      staticPart.hidden = false;
    });
  }

  function go(state, facet) {
    var url = urlFor(state);
    if (facet && facet === lastFacet) history.replaceState(state, "", url);
    else history.pushState(state, "", url);
    lastFacet = facet || null;
    apply(state);
  }

  form.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT") go(formState(), event.target.name);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    go(formState(), null);
  });
  form.addEventListener("reset", function (event) {
    event.preventDefault();
    selects.forEach(function (s) { s.value = ""; });
    go({}, null);
  });
  more.addEventListener("click", showMore);
  window.addEventListener("popstate", function () {
    var state = readState();
    selects.forEach(function (s) { s.value = state[s.name] || ""; });
    lastFacet = null;
    apply(state);
  });

  var initial = readState();
  selects.forEach(function (s) { s.value = initial[s.name] || ""; });
  if (Object.keys(initial).length) apply(initial);
})();
