/* Material puts each code block's copy button in a <nav> with no name, so a page with two code blocks has two
 * landmarks a screen reader cannot tell apart (axe landmark-unique). Each gets a name from its place in the page. */
(function () {
  "use strict";
  if (!document.querySelector("pre")) return;
  function name() {
    document.querySelectorAll("nav.md-code__nav").forEach(function (nav, i) {
      if (!nav.hasAttribute("aria-label")) nav.setAttribute("aria-label", "Code block " + (i + 1));
    });
  }
  name();
  new MutationObserver(name).observe(document.body, { childList: true, subtree: true });
})();
