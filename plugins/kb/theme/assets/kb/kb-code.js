/* Material puts each code block's copy button in a <nav> with no name, so a page with two code blocks has two
 * landmarks a screen reader cannot tell apart (axe landmark-unique). Each gets a name from its place in the page,
 * as Material draws it (after this script runs): only the code blocks are watched, and each once. */
(function () {
  "use strict";
  document.querySelectorAll("pre").forEach(function (pre, i) {
    var watch = new MutationObserver(function () {
      var nav = pre.querySelector(":scope > nav.md-code__nav");
      if (!nav) return;
      nav.setAttribute("aria-label", "Code block " + (i + 1));
      watch.disconnect();
    });
    watch.observe(pre, { childList: true });
  });
})();
