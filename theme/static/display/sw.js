/* Service worker of the outdoor displays (served as /display/sw.js, scope /display/).
 *
 * Install: fetch every file of this version (pages, assets, slide data) into a cache
 * named after the version. Cache.addAll is all-or-nothing, so a version that did not
 * arrive whole never takes over and the screen keeps the last good one.
 * Activate: take over the open kiosk pages (they reload) and drop older versions.
 * Fetch: answer from this version's cache; anything else goes to the network; a page
 * asked for while offline gets the cached kiosk page. Other hosts are never contacted.
 *
 * The build replaces the BUILD line below with this version's number and file list.
 */
var BUILD = {"version": "dev", "files": []};
var PREFIX = "uchastvai-display-";
var CACHE = PREFIX + BUILD.version;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) {
        return cache.addAll(BUILD.files.map(function (url) { return new Request(url, { cache: "reload" }); }));
      })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (key) {
          return key.indexOf(PREFIX) === 0 && key !== CACHE;
        }).map(function (key) { return caches.delete(key); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  var page = request.mode === "navigate";
  event.respondWith(
    caches.open(CACHE).then(function (cache) {
      return cache.match(request, { ignoreSearch: page }).then(function (hit) {
        return hit || fetch(request).catch(function () {
          return page ? cache.match("./") : Response.error();
        });
      });
    })
  );
});
