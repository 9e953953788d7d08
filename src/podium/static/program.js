// Offers the visitor's own time zone on program pages (progressive enhancement: without
// JavaScript the ?tz= form does the same). Redirects automatically only after the visitor
// chose "Show in my time zone" once; "show event time" forgets that choice.
(function () {
  "use strict";
  // Messages in the page's language with the English as fallback (messages.js,
  // podium.i18n.js): t(key, english, values).
  var t = window.podiumMessages("program");
  var KEY = "podium.tz.auto";
  var box = document.querySelector(".tz-switch");
  if (!box || !window.Intl || !Intl.DateTimeFormat) { return; }
  var mine;
  try { mine = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!mine) { return; }
  var current = box.getAttribute("data-current-tz");
  var eventTz = box.getAttribute("data-event-tz");

  function urlWithTz(tz) {
    var url = new URL(window.location.href);
    if (tz === eventTz) { url.searchParams.delete("tz"); } else { url.searchParams.set("tz", tz); }
    return url.toString();
  }

  function remember(value) {
    try {
      if (value) { window.localStorage.setItem(KEY, "1"); } else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* storage disabled: the choice just is not remembered */ }
  }

  function wantsAuto() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }

  var params = new URLSearchParams(window.location.search);
  if (wantsAuto() && !params.has("tz") && mine !== current) {
    window.location.replace(urlWithTz(mine));
    return;
  }

  var detect = box.querySelector(".tz-detect");
  if (detect && mine !== current) {
    detect.textContent = t("show_my_zone", "Show in my time zone (%(zone)s)", { zone: mine });
    detect.setAttribute("href", urlWithTz(mine));
    detect.hidden = false;
    detect.addEventListener("click", function () { remember(true); });
  }
  var reset = box.querySelector(".tz-reset");
  if (reset) { reset.addEventListener("click", function () { remember(false); }); }
  var input = box.querySelector("#tz-input");
  if (input && !input.getAttribute("list")) { input.setAttribute("placeholder", mine); }
}());
