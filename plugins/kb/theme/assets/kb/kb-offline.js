/* Registers the site's service worker (sw.js at the site's root, kb.site.offline), so pages a reader opened
 * stay readable when the school's Wi-Fi drops. A deferred file, not inline: the Content-Security-Policy allows
 * scripts from the site itself only. The page loaded before the worker ran, so it hands the worker its own
 * address and files to keep. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !document.currentScript) return;
  var worker = new URL("../../sw.js", document.currentScript.src);
  navigator.serviceWorker.register(worker.href).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    var files = performance.getEntriesByType("resource").map(function (entry) { return entry.name; });
    registration.active.postMessage({ keep: [location.href].concat(files) });
  }).catch(function () { /* no worker (private window, file://): the site works as before, online only */ });
})();
