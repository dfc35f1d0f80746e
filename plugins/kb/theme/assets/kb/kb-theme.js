/* What our pages use of Material's JavaScript, in place of its bundle (issue 19). The bundle mounts every component
 * of every feature at once (RxJS pipelines, a fetch of the sitemap for instant navigation nobody here switched on,
 * measurements that force a layout): on a mid-tier phone that is 150-250 ms of blocked main thread on every page,
 * the whole of what kept Lighthouse's performance under 95. Kept, with Material's own class names so its stylesheet
 * draws them as before:
 * - the header shows the page's title once its heading has scrolled under it, with a shadow once the content has;
 * - "Back to top" appears while the reader scrolls up, far enough down, and is out of the tab order when hidden;
 * - the table of contents marks the sections read and the one in view;
 * - each code block gets a copy button (named, so two blocks are two landmarks a screen reader can tell apart) and
 *   says "Copied to clipboard" in Material's dialog, read out by screen readers;
 * - a code block or table wider than the page can be scrolled from the keyboard (tabindex), as axe asks;
 * - Enter on a navigation section's label opens it; a link in the drawer closes the drawer;
 * - `.focus-visible` on the element focused from the keyboard, the class Material's stylesheet draws outlines for.
 * The sidebars' height is the stylesheet's (kb.css), not measured here. Nothing here runs before the reader acts
 * but a pass over the page's code blocks, tables and contents links: no layout is forced while the page loads. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var config = {};
  try { config = JSON.parse(document.getElementById("__config").textContent); } catch (e) { /* Material's strings */ }
  var words = config.translations || {};

  /* Keyboard focus, drawn as Material draws it. */
  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches(":focus-visible")) el.classList.add("focus-visible");
  });
  document.addEventListener("focusout", function (event) {
    if (event.target && event.target.classList) event.target.classList.remove("focus-visible");
  });

  /* Enter on a focused label (a navigation section) opens it, as a click would. */
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && document.activeElement instanceof HTMLLabelElement) document.activeElement.click();
  });
  var drawer = document.getElementById("__drawer");
  if (drawer) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest(".md-sidebar--primary a[href]");
      if (link && drawer.checked) drawer.checked = false;
    });
  }

  /* Copy buttons, and the dialog that says what was copied. */
  var dialog = document.querySelector("[data-md-component=dialog]");
  var said = null;
  if (dialog) {
    dialog.setAttribute("role", "status");
    dialog.setAttribute("aria-live", "polite");
  }
  function say(text) {
    if (!dialog) return;
    dialog.querySelector(".md-dialog__inner").textContent = text;
    dialog.classList.add("md-dialog--active");
    clearTimeout(said);
    said = setTimeout(function () { dialog.classList.remove("md-dialog--active"); }, 2000);
  }
  function copy(code) {
    var text = code.innerText.replace(/\n$/, "");
    var done = function () { say(words["clipboard.copied"] || "Copied to clipboard"); };
    var fallback = function () {
      var range = document.createRange();
      range.selectNodeContents(code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { if (document.execCommand("copy")) done(); } catch (e) { /* the text stays selected to copy by hand */ }
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }
  var blocks = document.querySelectorAll(".md-content .md-typeset pre > code");
  Array.prototype.forEach.call(blocks, function (code, i) {
    var pre = code.parentNode;
    if (pre.querySelector(":scope > nav.md-code__nav")) return;
    var nav = document.createElement("nav");
    nav.className = "md-code__nav";
    nav.setAttribute("aria-label", "Code block " + (i + 1));
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-code__button";
    button.title = words["clipboard.copy"] || "Copy to clipboard";
    button.setAttribute("data-md-type", "copy");
    button.addEventListener("click", function () { copy(code); });
    nav.appendChild(button);
    pre.insertBefore(nav, code);
  });

  /* Wide code blocks and tables scroll sideways; the keyboard must be able to reach them. Measured after the
   * page has been laid out for its first paint, so the measuring costs no layout of its own. */
  function reachable() {
    var wide = document.querySelectorAll(".md-content .md-typeset pre > code, .md-content .md-typeset table:not([class])");
    Array.prototype.forEach.call(wide, function (el) {
      if (el.scrollWidth > el.clientWidth) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-kb-wide", "");
      } else if (el.hasAttribute("data-kb-wide")) {  /* made reachable here, at another width */
        el.removeAttribute("tabindex");
        el.removeAttribute("data-kb-wide");
      }
    });
  }

  /* The header, back to top and the table of contents follow the scroll, one update per frame. */
  var header = document.querySelector("[data-md-component=header]");
  var title = document.querySelector("[data-md-component=header-title]");
  var heading = document.querySelector(".md-content h1");
  var main = document.querySelector("[data-md-component=main]");
  var top = document.querySelector("[data-md-component=top]");
  var toc = document.querySelector("[data-md-component=toc]");
  var sections = [];
  if (toc) {
    Array.prototype.forEach.call(toc.querySelectorAll("a.md-nav__link[href^='#']"), function (link) {
      var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (target) sections.push({ link: link, target: target });
    });
  }
  if (top) {
    top.setAttribute("tabindex", "-1");
    top.addEventListener("click", function (event) {
      event.preventDefault();
      window.scrollTo({ top: 0 });
      top.blur();
    });
  }

  var lastY = window.scrollY;
  var goingUp = false;
  var waiting = false;
  function update() {
    waiting = false;
    var y = window.scrollY;
    var under = header ? header.getBoundingClientRect().bottom : 0;
    var past = main ? main.getBoundingClientRect().top < under : y > 0;
    if (header) header.classList.toggle("md-header--shadow", past);
    if (title && heading) title.classList.toggle("md-header__title--active", heading.getBoundingClientRect().bottom <= under);
    if (y !== lastY) goingUp = y < lastY;  /* a resize, which moves nothing, keeps the direction */
    if (top) {
      var show = past && goingUp && y > 0;
      if (top.hidden === show) {
        top.hidden = !show;
        if (show) top.removeAttribute("tabindex");
        else top.setAttribute("tabindex", "-1");
      }
    }
    lastY = y;
    if (sections.length) {
      var atEnd = window.innerHeight + y >= root.scrollHeight - 1;
      var line = under + 24;  /* below where a link to a section puts its heading (Material's scroll margin, 68 px) */
      var current = -1;
      for (var i = 0; i < sections.length; i++) {
        if (atEnd || sections[i].target.getBoundingClientRect().top < line) current = i;
        else break;
      }
      sections.forEach(function (section, j) {
        section.link.classList.toggle("md-nav__link--passed", j <= current);
        section.link.classList.toggle("md-nav__link--active", j === current);
      });
    }
  }
  function soon() {
    if (!waiting) {
      waiting = true;
      requestAnimationFrame(update);
    }
  }
  window.addEventListener("scroll", soon, { passive: true });
  var resized = null;
  window.addEventListener("resize", function () {
    soon();
    clearTimeout(resized);
    resized = setTimeout(reachable, 200);
  }, { passive: true });

  /* After the first paint: one measuring pass (and the header's state when the page opened scrolled, at an anchor). */
  function settled() {
    reachable();
    if (window.scrollY > 0) update();
  }
  if (document.readyState === "complete") requestAnimationFrame(function () { setTimeout(settled, 0); });
  else window.addEventListener("load", function () { requestAnimationFrame(function () { setTimeout(settled, 0); }); });
})();
