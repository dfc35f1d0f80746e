/* Printed pages give each link its full address: on paper, a relative one ("../../networks/send/") leads nowhere.
 * Before printing, every link in the page's text gets data-print-url = its address resolved by the browser;
 * the print stylesheet (kb-board.css) prints that after the link. Without scripts, links print their href. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".md-typeset a[href]:not([data-print-url])").forEach(function (a) {
      var href = a.getAttribute("href");
      if (href.charAt(0) === "#" || a.classList.contains("md-button") || a.classList.contains("headerlink")) return;
      a.setAttribute("data-print-url", a.href);
    });
  }
  window.addEventListener("beforeprint", mark);
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    if (print.addEventListener) print.addEventListener("change", function (event) { if (event.matches) mark(); });
  }
})();
