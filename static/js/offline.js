// The offline page (templates/portal/offline.html, docs/offline.md): the centre's current classes kept on the
// device, sessions and attendance recorded with no network, kept as "chưa gửi" and sent when it returns.
// Every entry gets an idempotency key (a UUID) when it is first saved; a resend uses the same key, so the server
// records it once. All sentences come from the page (offline-messages), translated by the server.
(function () {
  "use strict";
  var root = document.querySelector("[data-offline]");
  if (!root || !window.TTHTCD) { return; }
  var store = window.TTHTCD.store;
  var T = JSON.parse(document.getElementById("offline-messages").textContent);
  var el = function (id) { return document.getElementById(id); };
  var snapshot = null; // {fetched_at, classes: [...]}
  var editing = null; // the key of the entry loaded into the form (a refused entry being corrected)
  var syncing = false;

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }
  function todayIso() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function day(iso) { var p = iso.split("-"); return p[2] + "/" + p[1] + "/" + p[0]; }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function node(tag, attrs, text) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text !== undefined) { n.textContent = text; }
    return n;
  }
  function course(id) {
    return snapshot && snapshot.classes.filter(function (c) { return c.id === id; })[0];
  }

  // --- Network state and the snapshot --------------------------------------------------------------------------

  function showNetwork() {
    var status = el("net-status");
    status.textContent = navigator.onLine ? T.online : T.offline;
    status.className = "badge text-wrap text-start " + (navigator.onLine ? "text-bg-success" : "text-bg-warning");
  }

  function showSnapshot() {
    el("snapshot-info").textContent = snapshot ? fmt(T.snapshot, { time: snapshot.fetched_at }) : T.no_snapshot;
    var select = el("f-course");
    var chosen = select.value;
    select.textContent = "";
    select.appendChild(node("option", { value: "" }, T.choose));
    (snapshot ? snapshot.classes : []).forEach(function (c) {
      select.appendChild(node("option", { value: String(c.id) }, c.title));
    });
    select.value = chosen;
    if (snapshot && !snapshot.classes.length) { notice(snapshot.note || T.no_classes); }
  }

  function notice(text) {
    var n = el("notice");
    n.textContent = text || "";
    n.classList.toggle("d-none", !text);
  }

  // The centre's classes and a fresh CSRF token; resolves null when not signed in (the session ended) or offline.
  function fetchSnapshot() {
    return fetch(root.dataset.urlData, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (response.status === 403) { notice(T.staff_only); return null; }
        if (!response.ok || !json) { notice(T.login); return null; }
        return response.json().then(function (data) {
          var token = data.csrf;
          delete data.csrf;
          snapshot = data;
          return store.put("snapshot", data)
            .then(function () { return store.put("snapshot_at", Date.now()); })
            .then(function () { showSnapshot(); return token; });
        });
      })
      .catch(function () { return null; });
  }

  // --- The form --------------------------------------------------------------------------------------------------

  function enrolledOn(c, iso) {
    return c.learners.filter(function (l) { return l.from <= iso && (!l.until || l.until >= iso); });
  }

  function sessionOn(c, iso) {
    return c.sessions.filter(function (s) { return s.date === iso; })[0];
  }

  function fillRoster(c, iso, attended) {
    var list = el("roster-list");
    list.textContent = "";
    var known = sessionOn(c, iso);
    var ticked = attended || (known ? known.attended : null);
    var learners = enrolledOn(c, iso);
    if (!learners.length) { list.appendChild(node("p", { class: "small text-muted mb-0" }, T.not_enrolled)); }
    learners.forEach(function (l) {
      var id = "l-" + l.id;
      var wrap = node("div", { class: "form-check" });
      var box = node("input", { type: "checkbox", class: "form-check-input", id: id, value: String(l.id) });
      box.checked = ticked ? ticked.indexOf(l.id) >= 0 : true; // everyone present when first opened
      wrap.appendChild(box);
      wrap.appendChild(node("label", { class: "form-check-label", for: id }, l.name));
      list.appendChild(wrap);
    });
  }

  function chooseCourse(entry) {
    var c = course(Number(el("f-course").value));
    el("talk-fields").classList.toggle("d-none", !!(c && c.format === "roster"));
    el("roster-fields").classList.toggle("d-none", !(c && c.format === "roster"));
    var instructor = el("f-instructor");
    instructor.textContent = "";
    instructor.appendChild(node("option", { value: "" }, T.no_instructor));
    if (!c) { return; }
    c.instructors.forEach(function (i) { instructor.appendChild(node("option", { value: String(i.id) }, i.name)); });
    var source = entry || { topic: c.last.topic, instructor: c.last.instructor, instructor_name: c.last.instructor_name };
    el("f-topic").value = source.topic || "";
    instructor.value = source.instructor ? String(source.instructor) : "";
    el("f-instructor-name").value = source.instructor_name || "";
    if (!el("f-date").value) { el("f-date").value = todayIso(); }
    if (entry) {
      el("f-present").value = entry.present;
      el("f-women").value = entry.women;
      el("f-minorities").value = entry.minorities;
    }
    if (c.format === "roster") { fillRoster(c, el("f-date").value, entry ? entry.attended : null); }
  }

  function formEntry() {
    var c = course(Number(el("f-course").value));
    var date = el("f-date").value;
    if (!c || !date) { return null; }
    var entry = {
      course: c.id,
      title: c.title,
      date: date,
      topic: el("f-topic").value.trim(),
      instructor: el("f-instructor").value ? Number(el("f-instructor").value) : null,
      instructor_name: el("f-instructor-name").value.trim(),
    };
    if (c.format === "roster") {
      entry.kind = "attendance";
      entry.attended = Array.prototype.filter.call(
        el("roster-list").querySelectorAll("input[type=checkbox]"), function (b) { return b.checked; }
      ).map(function (b) { return Number(b.value); });
      var known = sessionOn(c, date);
      if (known) { entry.session = known.id; entry.base = known.version; }
    } else {
      entry.kind = "session";
      entry.present = Number(el("f-present").value || 0);
      entry.women = Number(el("f-women").value || 0);
      entry.minorities = Number(el("f-minorities").value || 0);
    }
    return entry;
  }

  el("f-course").addEventListener("change", function () { chooseCourse(null); });
  el("f-date").addEventListener("change", function () {
    var c = course(Number(el("f-course").value));
    if (c && c.format === "roster") { fillRoster(c, el("f-date").value, null); }
  });

  el("entry-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var entry = formEntry();
    var message = el("form-message");
    if (!entry) { message.textContent = T.required; message.className = "mt-2 mb-0 text-danger"; return; }
    entry.key = editing || uuid(); // a corrected entry keeps its key: the server recorded nothing under it
    entry.status = "pending";
    entry.saved_at = new Date().toISOString();
    editing = null;
    store.saveEntry(entry).then(function () {
      message.textContent = fmt(T.saved_local, { title: entry.title, day: day(entry.date) });
      message.className = "mt-2 mb-0 text-success";
      el("f-present").value = "";
      el("f-women").value = "0";
      el("f-minorities").value = "0";
      return showEntries();
    }).then(function () { if (navigator.onLine) { sync(); } });
  });

  // --- The entries kept on the device ----------------------------------------------------------------------------

  function summary(entry) {
    var count = entry.kind === "attendance"
      ? fmt(T.attended, { n: (entry.attended || []).length })
      : fmt(T.people, { n: entry.present });
    return entry.title + " · " + day(entry.date) + " · " + count;
  }

  function button(label, cls, onClick) {
    var b = node("button", { type: "button", class: "btn btn-sm " + cls }, label);
    b.addEventListener("click", onClick);
    return b;
  }

  function showEntries() {
    return store.entries().then(function (entries) {
      entries.sort(function (a, b) { return a.saved_at < b.saved_at ? -1 : 1; });
      el("pending-count").textContent = entries.length ? fmt(T.pending, { n: entries.length }) : T.nothing_pending;
      el("sync-now").disabled = !entries.length;
      var list = el("entries");
      list.textContent = "";
      entries.forEach(function (entry) {
        var item = node("li", { class: "list-group-item", "data-key": entry.key });
        var badge = { pending: ["text-bg-secondary", T.badge_pending], refused: ["text-bg-danger", T.badge_refused],
          conflict: ["text-bg-warning", T.badge_conflict] }[entry.status] || ["text-bg-secondary", T.badge_pending];
        var head = node("div", { class: "d-flex flex-wrap gap-2 align-items-center" });
        head.appendChild(node("span", { class: "badge " + badge[0] }, badge[1]));
        head.appendChild(node("span", {}, summary(entry)));
        item.appendChild(head);
        if (entry.message) { item.appendChild(node("div", { class: "small mt-1" }, entry.message)); }
        var actions = node("div", { class: "d-flex flex-wrap gap-2 mt-1" });
        if (entry.status === "conflict") {
          if (entry.current) {
            item.appendChild(node("div", { class: "small text-muted" },
              fmt(T.server_state, { present: entry.current.present, topic: entry.current.topic })));
          }
          actions.appendChild(button(T.keep_mine, "btn-outline-primary", function () {
            if (entry.current) { entry.session = entry.current.session; entry.base = entry.current.version; }
            else { delete entry.session; delete entry.base; }
            entry.status = "pending"; entry.message = ""; delete entry.current;
            store.saveEntry(entry).then(showEntries).then(sync);
          }));
          actions.appendChild(button(T.take_server, "btn-outline-secondary", function () {
            store.deleteEntry(entry.key).then(showEntries);
          }));
        }
        if (entry.status === "refused") {
          actions.appendChild(button(T.edit, "btn-outline-primary", function () {
            editing = entry.key;
            el("f-course").value = String(entry.course);
            el("f-date").value = entry.date;
            chooseCourse(entry);
            store.deleteEntry(entry.key).then(showEntries);
            el("f-course").focus();
          }));
        }
        if (entry.status !== "pending") {
          actions.appendChild(button(T.delete, "btn-outline-danger", function () {
            store.deleteEntry(entry.key).then(showEntries);
          }));
        }
        if (actions.childNodes.length) { item.appendChild(actions); }
        list.appendChild(item);
      });
      return entries;
    });
  }

  // --- Sending ---------------------------------------------------------------------------------------------------

  var FIELDS = ["key", "kind", "course", "date", "topic", "instructor", "instructor_name", "present", "women",
    "minorities", "attended", "session", "base"];

  function sync() {
    if (syncing) { return Promise.resolve(); }
    syncing = true;
    var out = el("sync-result");
    return store.entries().then(function (entries) {
      var waiting = entries.filter(function (e) { return e.status === "pending"; });
      if (!waiting.length) { return fetchSnapshot(); }
      out.textContent = fmt(T.sending, { n: waiting.length });
      return fetchSnapshot().then(function (token) {
        if (!token) { out.textContent = navigator.onLine ? T.login : T.failed; return; }
        var body = { entries: waiting.map(function (e) {
          var sent = {};
          FIELDS.forEach(function (f) { if (e[f] !== undefined) { sent[f] = e[f]; } });
          return sent;
        }) };
        return fetch(root.dataset.urlSync, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token, Accept: "application/json" },
          body: JSON.stringify(body),
        }).then(function (response) {
          if (!response.ok) {
            return response.json().then(function (d) { out.textContent = d.error || T.failed; }, function () {
              out.textContent = T.failed;
            });
          }
          return response.json().then(function (answer) { return record(answer, waiting, out); });
        }, function () { out.textContent = T.failed; });
      });
    }).then(function () { syncing = false; return showEntries(); }, function () { syncing = false; });
  }

  function record(answer, waiting, out) {
    var byKey = {};
    waiting.forEach(function (e) { byKey[e.key] = e; });
    out.textContent = "";
    var counts = answer.counts;
    out.appendChild(node("p", { class: "mb-1 fw-semibold" }, fmt(T.sent, {
      n: answer.results.length, saved: counts.saved, refused: counts.refused, conflict: counts.conflict,
    })));
    var list = node("ul", { class: "small mb-0" });
    var jobs = answer.results.map(function (result) {
      var entry = byKey[result.key];
      list.appendChild(node("li", { class: result.status === "saved" ? "" : "text-danger" },
        (entry ? entry.title + " · " + day(entry.date) + ": " : "") + result.message));
      if (!entry) { return null; }
      if (result.status === "saved") { return store.deleteEntry(entry.key); }
      entry.status = result.status;
      entry.message = result.message;
      entry.current = result.current || null;
      return store.saveEntry(entry);
    });
    out.appendChild(list);
    return Promise.all(jobs).then(function () { return navigator.onLine ? fetchSnapshot() : null; });
  }

  el("sync-now").addEventListener("click", function () { sync(); });
  window.addEventListener("online", function () { showNetwork(); sync(); });
  window.addEventListener("offline", showNetwork);

  // --- Start -----------------------------------------------------------------------------------------------------

  showNetwork();
  store.get("snapshot").then(function (kept) {
    snapshot = kept || null;
    showSnapshot();
    return showEntries();
  }).then(function () {
    if (navigator.onLine) { return sync(); }
  });
})();
