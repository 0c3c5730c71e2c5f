// Drafts (docs/offline.md): a form with data-draft keeps what the user typed on this device (localStorage) as
// they type, and offers it back after a reload, a closed tab or a lost connection. A draft is dropped when the
// page shows the same values (it was saved) or after a save the next page confirms (a success message).
// Logout removes every draft (static/js/pwa.js). No inline scripts (Content-Security-Policy).
(function () {
  "use strict";
  var offer = document.getElementById("draft-offer");
  if (!offer) { return; }
  var PREFIX = (window.TTHTCD && window.TTHTCD.DRAFT_PREFIX) || "tthtcd-draft:";
  var user = offer.getAttribute("data-user") || "";
  var RECENT = 5 * 60 * 1000;

  function read(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or disabled: no draft */ }
  }

  // A save confirmed by the page it led to: forget the drafts submitted just before.
  if (document.querySelector(".alert-success")) {
    Object.keys(localStorage).forEach(function (key) {
      var draft = key.indexOf(PREFIX) === 0 ? read(key) : null;
      if (draft && draft.submitted && Date.now() - draft.submitted < RECENT) { localStorage.removeItem(key); }
    });
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !el.disabled && ["hidden", "submit", "button", "file", "password"].indexOf(el.type) < 0;
    });
  }
  function id(el) { return el.type === "checkbox" || el.type === "radio" ? el.name + "=" + el.value : el.name; }
  function values(form) {
    var out = {};
    fields(form).forEach(function (el) {
      out[id(el)] = el.type === "checkbox" || el.type === "radio" ? el.checked : el.value;
    });
    return out;
  }
  function same(a, b) {
    var keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every(function (k) { return a[k] === b[k]; });
  }
  function restore(form, saved) {
    fields(form).forEach(function (el) {
      var k = id(el);
      if (!(k in saved)) { return; }
      if (el.type === "checkbox" || el.type === "radio") { el.checked = saved[k]; } else { el.value = saved[k]; }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
  function when(iso) {
    var d = new Date(iso);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear() + " " + pad(d.getHours()) + ":" +
      pad(d.getMinutes());
  }

  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var key = PREFIX + user + ":" + form.getAttribute("data-draft") + ":" + location.pathname + location.search;
    var loaded = values(form);
    var draft = read(key);
    if (draft && same(draft.values, loaded)) { localStorage.removeItem(key); draft = null; }
    if (draft) {
      var banner = offer.content.firstElementChild.cloneNode(true);
      banner.querySelector("[data-draft-time]").textContent = when(draft.at);
      banner.querySelector("[data-draft-restore]").addEventListener("click", function () {
        restore(form, draft.values);
        banner.remove();
      });
      banner.querySelector("[data-draft-discard]").addEventListener("click", function () {
        localStorage.removeItem(key);
        banner.remove();
      });
      form.parentNode.insertBefore(banner, form);
    }
    var keep = function () {
      var now = values(form);
      if (same(now, loaded)) { localStorage.removeItem(key); return; }
      write(key, { at: new Date().toISOString(), values: now });
    };
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    form.addEventListener("click", function () { setTimeout(keep, 0); }); // grid.js ticks whole columns
    form.addEventListener("submit", function () {
      var kept = read(key);
      if (kept) { kept.submitted = Date.now(); write(key, kept); }
    });
  });
})();
