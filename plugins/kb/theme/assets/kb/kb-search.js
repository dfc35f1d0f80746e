/* Search: a box in the header of every page, and the search/ page that asks /api/search.
 *
 * Entry text is only ever inserted with textContent (highlights are <mark> elements around text
 * nodes, placed from character offsets the API sends). The state lives in the query string, so a
 * search can be shared, reloaded, and left and re-entered with the back button. Where the site is
 * hosted without the search service, the page says so and searches titles and summaries from
 * search/fallback.json instead (no spelling help, no snippets).
 */
(function () {
  "use strict";
  if (!window.fetch || !window.URLSearchParams) return;

  var PARAMS = ["q", "type", "network", "tag", "phase", "approach", "brokerage", "year", "plain", "page", "sort"];
  var FILTERS = ["type", "network", "tag", "phase", "approach", "brokerage", "year"];
  var FACETS = [["type", "Type"], ["network", "Network"], ["phase", "Phase"], ["tag", "Tag"],
                ["approach", "Approach"], ["brokerage", "Brokerage role"], ["year", "Year"]];
  var dateFormat = null;  // made on the first date shown: building it costs 30-80 ms on a phone, on every page

  function formatDate(iso) {
    dateFormat = dateFormat || new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    return dateFormat.format(new Date(iso + "T00:00:00Z"));
  }

  function siteRoot() {
    var config = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(config.textContent).base || "."; } catch (e) { /* keep "." */ }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /* Text with [start, end) ranges wrapped in <mark>, built from text nodes only. */
  function marked(parent, text, ranges) {
    var last = 0;
    (ranges || []).forEach(function (r) {
      if (r[0] < last || r[1] > text.length) return;
      parent.appendChild(document.createTextNode(text.slice(last, r[0])));
      parent.appendChild(el("mark", null, text.slice(r[0], r[1])));
      last = r[1];
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  /* ---- header search box on every page ---- */
  function headerBox(root) {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || document.querySelector(".kb-header-search")) return;
    var form = el("form", "kb-header-search");
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Quick search");  // named apart from a page's own search form (axe landmark-unique)
    form.action = new URL("search/", root).href;
    form.method = "get";
    var label = el("label", "kb-visually-hidden", "Search the knowledge base");
    label.htmlFor = "kb-header-q";
    var input = el("input", "kb-header-search__input");
    input.type = "search"; input.name = "q"; input.id = "kb-header-q"; input.maxLength = 200;
    input.placeholder = "Search"; input.autocomplete = "off"; input.setAttribute("enterkeyhint", "search");
    var go = el("button", "kb-header-search__go");
    go.type = "submit";
    go.setAttribute("aria-label", "Search");
    go.appendChild(el("span", "kb-header-search__icon")).setAttribute("aria-hidden", "true");
    form.appendChild(label); form.appendChild(input); form.appendChild(go);
    var anchor = inner.querySelector(".md-header__source") || null;
    inner.insertBefore(form, anchor);
    var q = new URLSearchParams(location.search).get("q");
    if (q && document.querySelector("[data-kb-search]")) input.value = q;
    form.addEventListener("submit", function (event) {
      if (!input.value.trim()) { event.preventDefault(); input.focus(); }
    });
  }

  /* ---- the search page ---- */
  function searchPage(root, page) {
    var form = page.querySelector("[data-kb-search-form]");
    var input = form.querySelector("input[name=q]");
    var sort = form.querySelector("[data-kb-sort]");
    var status = page.querySelector("[data-kb-status]");
    var notice = page.querySelector("[data-kb-notice]");
    var scope = page.querySelector("[data-kb-scope]");
    var chips = page.querySelector("[data-kb-chips]");
    var card = page.querySelector("[data-kb-card]");
    var filters = page.querySelector("[data-kb-filters]");
    var facetBox = page.querySelector("[data-kb-facets]");
    var results = page.querySelector("[data-kb-results]");
    var pages = page.querySelector("[data-kb-pages]");
    var api = page.getAttribute("data-api") ? new URL(page.getAttribute("data-api"), location.href) : new URL("api/search", root);
    var fallbackUrl = new URL(page.getAttribute("data-fallback"), location.href);
    var fallback = null, useFallback = false, timer = null, seq = 0, refocus = null;
    if (window.matchMedia("(min-width: 60em)").matches) filters.open = true;

    function state() {
      var params = new URLSearchParams(location.search), s = {};
      PARAMS.forEach(function (p) { s[p] = params.get(p) || ""; });
      return s;
    }

    function go(changes, push) {
      var s = state();
      Object.keys(changes).forEach(function (k) { s[k] = changes[k]; });
      var params = new URLSearchParams();
      PARAMS.forEach(function (p) { if (s[p] && !(p === "page" && s[p] === "1") && !(p === "sort" && s[p] === "relevance")) params.set(p, s[p]); });
      var url = location.pathname + (params.toString() ? "?" + params.toString() : "");
      history[push ? "pushState" : "replaceState"](null, "", url);
      run();
    }

    function run() {
      var s = state();
      input.value = s.q;
      sort.value = s.sort === "newest" ? "newest" : "relevance";
      var mine = ++seq;
      if (!s.q.trim() && !FILTERS.some(function (f) { return s[f]; })) {
        clear(); status.textContent = "Type a word or two to search.";
        return;
      }
      status.textContent = "Searching…";
      var ask = useFallback ? searchFallback(s) : askApi(s).catch(function () {
        useFallback = true;
        return searchFallback(s);
      });
      ask.then(function (answer) { if (mine === seq) show(answer, s); })
        .catch(function () { if (mine === seq) { clear(); status.textContent = "Search is not available just now. Please try again later."; } });
    }

    function askApi(s) {
      var url = new URL(api.href);
      PARAMS.forEach(function (p) { if (s[p]) url.searchParams.set(p, s[p]); });
      return fetch(url.href, { headers: { Accept: "application/json" } }).then(function (response) {
        var type = response.headers.get("content-type") || "";
        if (type.indexOf("application/json") !== 0) throw new Error("no search service");
        return response.json().then(function (data) {
          if (response.status >= 500 || response.status === 404) throw new Error("no search service");
          if (!response.ok) data.failed = true;
          return data;
        });
      });
    }

    function clear() {
      results.textContent = ""; facetBox.textContent = ""; pages.textContent = "";
      notice.textContent = ""; scope.textContent = ""; chips.textContent = "";
      pages.hidden = true; filters.hidden = true; notice.hidden = true; scope.hidden = true; chips.hidden = true; card.hidden = true;
    }

    /* "Searching in SEND only": the network a hub's search box chose, with a way to widen it. */
    function showScope(answer, s) {
      if (!s.network) return;
      var label = (answer.filter_labels || {}).network || s.network;
      scope.hidden = false;
      scope.appendChild(document.createTextNode("Searching in "));
      scope.appendChild(el("strong", null, label));
      scope.appendChild(document.createTextNode(" only. "));
      var widen = el("button", "kb-search__widen", "Search all networks");
      widen.type = "button";
      widen.addEventListener("click", function () { refocus = { input: true }; go({ network: "", page: "" }, true); });
      scope.appendChild(widen);
    }

    /* Soft filters: a network, phase or type named among other words raises its entries; the chip says so
       and removes it (the word is then searched as an ordinary word), or puts it back. */
    function showChips(answer, s) {
      var plain = s.plain ? s.plain.split(",") : [];
      (answer.soft || []).forEach(function (soft) {
        var item = el("li", "kb-chip" + (soft.on ? "" : " kb-chip--off"));
        item.appendChild(el("span", "kb-chip__text", soft.on ? "Showing " + soft.label + " first" : "Searching everything for “" + soft.words + "”"));
        var button = el("button", "kb-chip__button", soft.on ? "Search everything" : "Show " + soft.label + " first");
        button.type = "button";
        button.setAttribute("data-soft", soft.key);
        button.addEventListener("click", function () {
          var next = soft.on ? plain.concat([soft.key]) : plain.filter(function (k) { return k !== soft.key; });
          refocus = { soft: soft.key };
          go({ plain: next.join(","), page: "" }, true);
        });
        item.appendChild(button);
        chips.appendChild(item);
      });
      chips.hidden = !(answer.soft || []).length;
    }

    /* "Did you know?": the About section that explains a vocabulary word in the query. */
    function showCard(answer) {
      var know = answer.card;
      if (!know) return;
      card.querySelector("[data-kb-card-label]").textContent = know.label;
      card.querySelector("[data-kb-card-kind]").textContent = "(" + know.about + "):";
      card.querySelector("[data-kb-card-text]").textContent = know.text;
      var link = card.querySelector("[data-kb-card-link]");
      link.href = new URL(know.url, root).href;
      link.textContent = "Read more in " + know.about;
      card.hidden = false;
    }

    function show(answer, s) {
      clear();
      if (answer.failed) { status.textContent = answer.error || "That search could not be run."; return; }
      var messages = (answer.notes || []).slice();
      if (useFallback) {
        messages.unshift("The search service is not reachable on this site, so this is a simpler search of titles and summaries only: spelling mistakes are not corrected.");
        var forgiven = document.querySelector("[data-kb-spelling]");  // the hint must not promise what the simpler search cannot do
        if (forgiven) forgiven.hidden = true;
      }
      if (answer.did_you_mean) {
        notice.hidden = false;
        notice.appendChild(document.createTextNode(Object.keys(answer.corrections || {}).length ? "Including results for " : "Did you mean "));
        var fix = el("a", null, answer.did_you_mean);
        fix.href = "?q=" + encodeURIComponent(answer.did_you_mean);
        fix.addEventListener("click", function (e) { e.preventDefault(); go({ q: answer.did_you_mean, page: "" }, true); });
        notice.appendChild(fix);
        notice.appendChild(document.createTextNode(Object.keys(answer.corrections || {}).length ? "." : "?"));
      }
      var total = answer.total || 0;
      var count = total === 0 ? "No entries found" : total === 1 ? "1 entry found" : total + " entries found";
      if (answer.pages > 1) count += ", page " + answer.page + " of " + answer.pages;
      status.textContent = [count + "."].concat(messages).join(" ");
      showScope(answer, s);
      showChips(answer, s);
      showCard(answer);
      (answer.results || []).forEach(function (hit) { results.appendChild(resultItem(hit)); });
      facets(answer.facets || {}, s);
      paging(answer);
      if (refocus && refocus.soft) {  // keep the keyboard on the chip that was pressed
        var again = chips.querySelector('[data-soft="' + refocus.soft + '"]');
        refocus = null;
        if (again) again.focus();
      } else if (refocus && refocus.input) {
        refocus = null;
        input.focus();
      }
    }

    function resultItem(hit) {
      var li = el("li", "kb-result");
      var heading = el("h2", "kb-result__title");
      var link = marked(el("a"), hit.title, hit.title_highlights);
      link.href = new URL(hit.url, root).href;
      heading.appendChild(link);
      if (hit.draft) {  // kb serve's preview only: an entry not published
        heading.appendChild(document.createTextNode(" "));
        heading.appendChild(el("span", "kb-badge kb-badge--draft", hit.draft));
      }
      li.appendChild(heading);
      var meta = [hit.type_label];
      if (hit.date) meta.push(formatDate(hit.date));
      (hit.networks || []).forEach(function (n) { meta.push(n.label); });
      li.appendChild(el("p", "kb-result__meta", meta.join(" · ")));
      var snip = hit.snippet && hit.snippet.text ? hit.snippet : { text: hit.summary || "", highlights: [] };
      if (snip.text) li.appendChild(marked(el("p", "kb-result__snippet"), snip.text, snip.highlights));
      return li;
    }

    function facets(all, s) {
      var any = false;
      FACETS.forEach(function (pair) {
        var name = pair[0], values = all[name] || [];
        if (!values.length && !s[name]) return;
        any = true;
        var group = el("div", "kb-facet");
        var heading = el("h2", "kb-facet__title", pair[1]);
        heading.id = "kb-facet-" + name;
        group.appendChild(heading);
        var list = el("ul", "kb-facet__list");
        list.setAttribute("aria-labelledby", heading.id);
        values.forEach(function (v) {
          var item = el("li");
          var button = el("button", "kb-facet__option");
          button.type = "button";
          button.setAttribute("aria-pressed", String(s[name] === v.id));
          button.setAttribute("data-facet", name);
          button.setAttribute("data-value", v.id);
          button.appendChild(el("span", "kb-facet__label", v.label));
          button.appendChild(el("span", "kb-facet__count", String(v.count)));
          button.addEventListener("click", function () {
            var change = { page: "" };
            change[name] = s[name] === v.id ? "" : v.id;
            refocus = { name: name, value: v.id };
            go(change, true);
          });
          item.appendChild(button);
          list.appendChild(item);
        });
        group.appendChild(list);
        facetBox.appendChild(group);
      });
      filters.hidden = !any;
      if (refocus && refocus.name) {  // keep the keyboard where it was after the list is rebuilt
        var again = facetBox.querySelector('[data-facet="' + refocus.name + '"][data-value="' + refocus.value + '"]');
        refocus = null;
        if (again) again.focus();
      }
    }

    function paging(answer) {
      if (!(answer.pages > 1)) return;
      pages.hidden = false;
      [["Previous page", answer.page - 1, answer.page > 1], ["Next page", answer.page + 1, answer.page < answer.pages]].forEach(function (p) {
        if (!p[2]) return;
        var button = el("button", "md-button kb-search__page", p[0]);
        button.type = "button";
        button.addEventListener("click", function () { go({ page: String(p[1]) }, true); window.scrollTo(0, 0); status.focus && status.focus(); });
        pages.appendChild(button);
      });
    }

    /* Titles and summaries only, every word must appear (as the start of a word). */
    function searchFallback(s) {
      var loaded = fallback || fetch(fallbackUrl.href).then(function (r) { if (!r.ok) throw new Error("no fallback"); return r.json(); });
      fallback = loaded;
      return loaded.then(function (data) {
        var words = s.q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 12);
        var rows = data.rows.filter(function (row) {
          var text = (" " + row.t + " " + row.s).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ");
          return words.every(function (w) { return text.indexOf(" " + w) >= 0; });
        });
        function values(row) {
          return { type: [row.y], network: row.n, tag: row.g, phase: row.p || [], approach: row.a ? [row.a] : [],
                   brokerage: row.b || [], year: row.d ? [row.d.slice(0, 4)] : [] };
        }
        var counts = {};
        FILTERS.forEach(function (f) { counts[f] = {}; });
        rows.forEach(function (row) {
          var v = values(row);
          FILTERS.forEach(function (f) { v[f].forEach(function (id) { counts[f][id] = (counts[f][id] || 0) + 1; }); });
        });
        rows = rows.filter(function (row) {
          var v = values(row);
          return FILTERS.every(function (f) { return !s[f] || v[f].indexOf(s[f]) >= 0; });
        });
        if (s.sort !== "newest" && words.length) rows.sort(function (a, b) { return score(b, words) - score(a, words); });
        var page = Math.max(1, parseInt(s.page, 10) || 1), size = 10;
        var facetsOut = {};
        Object.keys(counts).forEach(function (name) {
          facetsOut[name] = Object.keys(counts[name]).map(function (id) {
            return { id: id, label: (data.labels[name] || {})[id] || id, count: counts[name][id] };
          }).sort(function (a, b) {
            return name === "year" ? b.id.localeCompare(a.id) : b.count - a.count || a.label.localeCompare(b.label);
          });
        });
        return {
          total: rows.length, page: page, pages: Math.ceil(rows.length / size), facets: facetsOut, notes: [],
          filter_labels: s.network ? { network: data.labels.network[s.network] || s.network } : {},
          results: rows.slice((page - 1) * size, page * size).map(function (row) {
            return { url: row.u, title: row.t, summary: row.s, type_label: data.labels.type[row.y] || row.y, date: row.d, draft: row.x || "",
                     networks: row.n.map(function (n) { return { id: n, label: data.labels.network[n] || n }; }) };
          })
        };
      });
    }

    function score(row, words) {
      var title = row.t.toLowerCase();
      return words.reduce(function (sum, w) { return sum + (title.indexOf(w) >= 0 ? 2 : 1); }, 0);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      go({ q: input.value, page: "" }, true);
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { go({ q: input.value, page: "" }, false); }, 300);
    });
    sort.addEventListener("change", function () { go({ sort: sort.value, page: "" }, true); });
    window.addEventListener("popstate", run);
    status.tabIndex = -1;
    run();
  }

  function start() {
    var root = siteRoot();
    headerBox(root);
    var page = document.querySelector("[data-kb-search]");
    if (page) searchPage(root, page);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
