// Messages for the other scripts, in the page's language (podium.i18n.js puts them in the
// #podium-i18n data block). window.podiumMessages(name) returns t(key, english, values): the
// translated message (or the English given), a {one, other} pair picked for values.num with
// the language's plural rules, and %(name)s placeholders filled from values.
(function () {
  "use strict";
  var all = (function () {
    var block = document.getElementById("podium-i18n");
    try { return (block && JSON.parse(block.textContent)) || {}; } catch (e) { return {}; }
  }());
  window.podiumMessages = function (name) {
    var messages = all[name] || {};
    return function t(key, english, values) {
      var text = messages.hasOwnProperty(key) ? messages[key] : english;
      if (text && typeof text === "object") {
        var form;
        try { form = new Intl.PluralRules(document.documentElement.lang || "en").select(values.num); } catch (e) {
          form = values.num === 1 ? "one" : "other";
        }
        text = text[form] || text.other;
      }
      return String(text).replace(/%\((\w+)\)s|%%/g, function (whole, key2) {
        if (!key2) { return "%"; }
        return values && values.hasOwnProperty(key2) ? String(values[key2]) : whole;
      });
    };
  };
}());
