// Inside the schedule widget's iframe: shows the visitor's own time zone (an iframe-only
// embed has no widget.js to pass it) and tells the embedding page its height.
(function () {
  "use strict";
  var body = document.body;
  try {
    var params = new URLSearchParams(window.location.search);
    var mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!params.has("tz") && mine && mine !== body.getAttribute("data-current-tz")) {
      params.set("tz", mine);
      window.location.replace("?" + params.toString());
      return;
    }
  } catch (e) { /* no Intl: the event's zone stays */ }
  function report() {
    if (window.parent !== window) {
      // The height is no secret, and the embedding site's origin is not known here.
      window.parent.postMessage({ podiumWidgetHeight: document.documentElement.scrollHeight }, "*");
    }
  }
  report();
  window.addEventListener("load", report);
  window.addEventListener("resize", report);
}());
