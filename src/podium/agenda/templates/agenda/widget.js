// Podium schedule widget: replaces its own <script> tag with an iframe of the schedule.
// Options come from the tag: data-view (list|grid), data-day (YYYY-MM-DD), data-track,
// data-title; the visitor's time zone comes from the browser.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URLSearchParams) { return; }
  var widgetUrl = {{ widget_url|tojson }};
  var origin = {{ origin|tojson }};
  var params = new URLSearchParams();
  ["view", "day", "track"].forEach(function (name) {
    var value = script.getAttribute("data-" + name);
    if (value) { params.set(name, value); }
  });
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz) { params.set("tz", tz); }
  } catch (e) { /* no Intl: the event's own zone is shown */ }
  var frame = document.createElement("iframe");
  frame.src = widgetUrl + "?" + params.toString();
  frame.title = script.getAttribute("data-title") || "Conference schedule";
  frame.setAttribute("loading", "lazy");
  frame.style.width = "100%";
  frame.style.height = "600px";
  frame.style.border = "0";
  script.parentNode.insertBefore(frame, script);
  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || event.origin !== origin) { return; }
    var height = event.data && event.data.podiumWidgetHeight;
    if (typeof height === "number" && height > 0) {
      frame.style.height = Math.min(Math.ceil(height), 100000) + "px";
    }
  });
}());
