{% autoescape off %}// The portal's service worker (portal/pwa.py, docs/offline.md). It keeps only what holds no personal data: the
// static files and the offline page, fetched without cookies so that it is rendered for nobody. Signed-in pages,
// downloads and the sync API always go to the network and are never stored.
"use strict";
var VERSION = "{{ version }}";
var STATIC_CACHE = "tthtcd-static-" + VERSION;
var SHELL_CACHE = "tthtcd-shell-" + VERSION;
var PRECACHE = {{ precache }};
var SHELL = {{ shell }};
var STATIC_PREFIX = {{ static_prefix }};

self.addEventListener("install", function (event) {
  event.waitUntil(Promise.all([
    caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(PRECACHE); }),
    caches.open(SHELL_CACHE).then(function (cache) {
      return fetch(SHELL, { credentials: "omit" }).then(function (response) {
        if (!response.ok) { throw new Error("offline page: " + response.status); }
        return cache.put(SHELL, response);
      });
    })
  ]).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("tthtcd-") === 0 && name !== STATIC_CACHE && name !== SHELL_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    // Static files: from the cache, else from the network (and kept: they are the same for everyone).
    event.respondWith(caches.open(STATIC_CACHE).then(function (cache) {
      return cache.match(request, { ignoreSearch: true }).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        });
      });
    }));
    return;
  }
  if (request.mode === "navigate") {
    // Pages: always the network (they are private and no-store); with no network, the offline page.
    event.respondWith(fetch(request).catch(function () {
      return caches.open(SHELL_CACHE).then(function (cache) { return cache.match(SHELL); });
    }));
  }
  // Everything else (the sync API, downloads, JSON): the network, untouched.
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "clear") {
    // Logout: forget everything this worker kept.
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    }));
  }
});
{% endautoescape %}
