/* The site's service worker (kb.site.offline), for patchy school Wi-Fi: pages come from the network first,
 * and each page a reader opened, the search page and the site's styles and scripts are kept for when the
 * network is gone. A page never opened shows offline.html. The search service's answers (api/) and the
 * browser editor (admin/) are never kept. The cache is named after the build, so a new release replaces it.
 * The members' site and kb serve's preview (KEEP_PAGES false) keep nothing and answers nothing: on a shared school computer a kept page
 * would be readable offline without the member's password, and its sign-in is left to the browser. Nor does the
 * public site's worker touch members/, where that site is served beside it. */
"use strict";

var VERSION = "{{ version }}";
var PRECACHE = {{ precache | tojson }};
var SCOPE = new URL("./", self.location.href).pathname;
var PREFIX = "kb " + SCOPE + " ";  /* the public and members' sites share an origin (and its caches) in production */
var CACHE = PREFIX + VERSION;
var NEVER = [SCOPE + "api/", SCOPE + "admin/", SCOPE + "members/"];
var KEEP_PAGES = {{ keep_pages | tojson }};

function keepable(url) {
  if (!KEEP_PAGES) return false;
  var address = new URL(url, self.location.href);
  if (address.origin !== self.location.origin) return false;
  if (address.pathname.indexOf(SCOPE) !== 0) return false;
  return !NEVER.some(function (prefix) { return address.pathname.indexOf(prefix) === 0; });
}

function keep(request, response) {
  if (!response || !response.ok || response.type !== "basic") return Promise.resolve();
  var copy = response.clone();
  return caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(PRECACHE); }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf(PREFIX) === 0 && name !== CACHE; })
        .map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

/* The page that registered this worker was loaded before it ran: it sends its own address and files to keep. */
self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.keep) || [];
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.filter(keepable).map(function (url) {
      return fetch(url).then(function (response) { if (response.ok) return cache.put(url, response); }).catch(function () {});
    }));
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !keepable(request.url)) return;  /* the browser's own way, untouched */
  event.respondWith(
    fetch(request).then(function (response) {
      event.waitUntil(keep(request, response));
      return response;
    }).catch(function () {
      return caches.match(request).then(function (hit) {
        if (hit) return hit;
        if (request.mode !== "navigate") return Response.error();
        return caches.match(request, { ignoreSearch: true }).then(function (page) {
          return page || caches.match(new URL("offline.html", self.location.href).href);
        });
      });
    })
  );
});
