// Stars on the program pages (progressive enhancement, see podium.agenda.stars).
// Logged in: each star button submits the page's CSRF-protected #agenda-stars form; this
// script sends it with fetch instead of reloading, and merges the stars this browser kept
// before its user logged in. Anonymous: stars are kept in localStorage (this browser only);
// the "My agenda" page gets them as ?s=guid,guid.
(function () {
  "use strict";
  // Messages in the page's language with the English as fallback (messages.js,
  // podium.i18n.js): t(key, english, values).
  var t = window.podiumMessages("agenda");
  var MAX_IN_URL = 300; // the server reads at most this many guids from ?s=
  var form = document.getElementById("agenda-stars");
  var note = document.getElementById("agenda-note");
  var local = document.getElementById("agenda-local");
  var holder = form || note || local;
  if (!holder || !window.JSON) { return; }
  var KEY = "podium.stars." + holder.getAttribute("data-slug");

  function load() {
    try {
      var value = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(value) ? value.filter(function (g) { return typeof g === "string"; }) : [];
    } catch (e) { return null; } // storage disabled
  }
  function save(list) {
    try { window.localStorage.setItem(KEY, JSON.stringify(list)); return true; } catch (e) { return false; }
  }
  function forget() {
    try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
  }
  function buttons() { return Array.prototype.slice.call(document.querySelectorAll("button.star")); }
  function show(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.name = on ? "unstar" : "star";
    button.hidden = false;
  }
  function showAll(list) {
    var set = {};
    list.forEach(function (g) { set[g] = true; });
    buttons().forEach(function (b) { show(b, set.hasOwnProperty(b.value)); });
  }
  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }
  function starClicked(event) {
    var target = event.target;
    return target && target.closest ? target.closest("button.star") : null;
  }

  // Anonymous "My agenda": the server renders the guids in ?s=; keep them in step.
  function showStored(stored) {
    var wanted = stored.slice().sort().slice(0, MAX_IN_URL);
    if (wanted.join(",") !== local.getAttribute("data-list")) {
      var url = new URL(window.location.href);
      if (wanted.length) { url.searchParams.set("s", wanted.join(",")); } else { url.searchParams.delete("s"); }
      window.location.replace(url.toString());
    }
  }

  if (local) {
    var stored = load();
    if (stored === null) { return; }
    showStored(stored);
    Array.prototype.forEach.call(document.querySelectorAll("button.agenda-forget"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var rest = (load() || []).filter(function (g) { return g !== button.getAttribute("data-guid"); });
        if (save(rest)) { showStored(rest); }
      });
    });
    return;
  }

  if (note) {
    var list = load();
    if (list === null) { return; } // no storage: the page's hint (log in) stays true
    showAll(list);
    // One sentence with the two links in the places the translation puts them.
    var links = {
      login: link(note.getAttribute("data-login-url"), t("log_in", "Log in")),
      agenda: link(note.getAttribute("data-agenda-url"), t("my_agenda", "My agenda"))
    };
    var sentence = t("stars_local",
      "Your stars are kept in this browser only. %(login)s to keep them on every device. See %(agenda)s.",
      { login: "\u0000login\u0000", agenda: "\u0000agenda\u0000" });
    note.textContent = "";
    sentence.split("\u0000").forEach(function (part, i) {
      if (i % 2 && links.hasOwnProperty(part)) { note.appendChild(links[part]); } else if (part) {
        note.appendChild(document.createTextNode(part));
      }
    });
    document.addEventListener("click", function (event) {
      var button = starClicked(event);
      if (!button) { return; }
      event.preventDefault();
      var current = load() || [];
      var at = current.indexOf(button.value);
      if (at >= 0) { current.splice(at, 1); } else { current.push(button.value); }
      if (save(current)) { show(button, at < 0); }
    });
    return;
  }

  var token = form.querySelector("input[name=csrf_token]").value;
  document.addEventListener("click", function (event) {
    var button = starClicked(event);
    if (!button || !window.fetch) { return; } // without fetch the form submits as without JS
    event.preventDefault();
    var data = new FormData(form);
    data.append(button.name, button.value);
    window.fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (answer) {
      show(button, answer.starred);
    }).catch(function () {
      if (form.requestSubmit) { form.requestSubmit(button); } // the plain form shows the error
    });
  });

  var pending = load();
  if (pending && pending.length && window.fetch) {
    window.fetch(form.getAttribute("data-merge-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ guids: pending })
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (answer) {
      forget();
      showAll(answer.starred);
    }).catch(function () { /* kept in the browser; merged on the next page */ });
  }
}());
