// The installable app on every page (docs/offline.md): registers the service worker, holds the IndexedDB store
// the offline page uses, and at logout forgets everything the device kept (IndexedDB, caches, drafts, worker).
// No inline scripts (Content-Security-Policy).
(function () {
  "use strict";
  var DB_NAME = "tthtcd-offline";
  var DRAFT_PREFIX = "tthtcd-draft:";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("meta")) { db.createObjectStore("meta"); }
        if (!db.objectStoreNames.contains("entries")) { db.createObjectStore("entries", { keyPath: "key" }); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // Runs fn(store) in one transaction; resolves with what fn's request returned (or fn's own value).
  function run(storeName, mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(storeName, mode);
        var out = fn(transaction.objectStore(storeName));
        transaction.oncomplete = function () {
          db.close();
          resolve(out && typeof out === "object" && "result" in out ? out.result : out);
        };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
        transaction.onabort = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  var store = {
    get: function (key) { return run("meta", "readonly", function (s) { return s.get(key); }); },
    put: function (key, value) { return run("meta", "readwrite", function (s) { s.put(value, key); }); },
    entries: function () { return run("entries", "readonly", function (s) { return s.getAll(); }); },
    saveEntry: function (entry) { return run("entries", "readwrite", function (s) { s.put(entry); }); },
    deleteEntry: function (key) { return run("entries", "readwrite", function (s) { s.delete(key); }); },
  };

  function forgetEverything() {
    var jobs = [];
    jobs.push(new Promise(function (resolve) {
      var request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    }));
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.map(function (name) { return caches.delete(name); }));
      }));
    }
    if (navigator.serviceWorker) {
      jobs.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (r) { return r.unregister(); }));
      }));
    }
    try {
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf(DRAFT_PREFIX) === 0) { localStorage.removeItem(key); }
      });
    } catch (e) { /* storage disabled: nothing kept */ }
    return Promise.all(jobs).catch(function () {});
  }

  window.TTHTCD = { store: store, forgetEverything: forgetEverything, DRAFT_PREFIX: DRAFT_PREFIX };

  // The worker, for every visitor: it keeps nothing personal (templates/portal/sw.js).
  var meta = document.querySelector('meta[name="tthtcd-sw"]');
  if (meta && navigator.serviceWorker) {
    navigator.serviceWorker.register(meta.content, { scope: "/" }).catch(function () {});
  }

  // Centre staff: any page, once in a while, refreshes the classes the offline page works from, so that a phone
  // that has opened the portal once can record offline (the CSRF token is not kept).
  var data = document.querySelector('meta[name="tthtcd-offline-data"]');
  if (data && navigator.onLine && window.indexedDB) {
    store.get("snapshot_at").then(function (at) {
      if (at && Date.now() - at < 10 * 60 * 1000) { return null; }
      return fetch(data.content, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          return response.ok && json ? response.json() : null;
        })
        .then(function (snapshot) {
          if (!snapshot) { return null; }
          delete snapshot.csrf;
          return store.put("snapshot", snapshot).then(function () { return store.put("snapshot_at", Date.now()); });
        });
    }).catch(function () {});
  }

  // Logout (the form carries data-logout): warn about entries not yet sent, then forget everything and submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-logout") || form.dataset.cleared) { return; }
    event.preventDefault();
    store.entries().catch(function () { return []; }).then(function (entries) {
      var message = form.getAttribute("data-logout-confirm") || "";
      if (entries.length && !window.confirm(message.replace("%(n)s", entries.length))) { return null; }
      return forgetEverything().then(function () {
        form.dataset.cleared = "1";
        form.submit();
      });
    });
  }, true);
})();
