// Paints availability on a day x hour grid on top of the availability rows (progressive
// enhancement: without JavaScript the rows alone do the same). The grid is one tab stop:
// arrow keys move, Space or Enter toggles an hour; with a mouse or finger, press and drag to
// paint (or clear, when starting on a painted hour). Every change rewrites the rows, which
// stay the form the server reads; the grid works in whole hours.
(function () {
  "use strict";
  // Messages in the page's language with the English as fallback (messages.js,
  // podium.i18n.js): t(key, english, values).
  var t = window.podiumMessages("availability");
  var HOURS = 24;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function rowsOf(box) { return Array.prototype.slice.call(box.querySelectorAll("fieldset.availability-row")); }

  function field(row, suffix) { return row.querySelector("[name$='-" + suffix + "']"); }

  function hourOf(value) { return value ? parseInt(value.split(":")[0], 10) : null; }

  function setUp(box) {
    var first = rowsOf(box)[0];
    if (!first) { return; }
    var days = Array.prototype.map.call(field(first, "day").options, function (o) {
      return { value: o.value, label: o.textContent };
    });
    var change = Math.floor((parseInt(box.getAttribute("data-day-change") || "0", 10) || 0) / 60);
    var painted = days.map(function () { return new Array(HOURS).fill(false); });

    // Column i of a day is the hour (change + i) % 24: a day runs from one day change to the next.
    function column(hour) { return (hour - change + HOURS) % HOURS; }

    rowsOf(box).forEach(function (row) {
      var d = days.findIndex(function (day) { return day.value === field(row, "day").value; });
      var from = hourOf(field(row, "start").value), to = hourOf(field(row, "end").value);
      if (d < 0 || from === null || to === null) { return; }
      var start = column(from), end = column(to);
      if (end <= start) { end += HOURS; }
      for (var i = start; i < end && i < HOURS; i++) { painted[d][i] = true; }
    });

    var table = document.createElement("table");
    table.className = "availability-grid";
    table.setAttribute("role", "grid");
    table.setAttribute("aria-label", t("grid_label", "Paint the hours you can present (whole hours)"));
    var head = table.createTHead().insertRow();
    head.appendChild(document.createElement("td"));
    for (var c = 0; c < HOURS; c++) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = pad((change + c) % HOURS);
      head.appendChild(th);
    }
    var body = table.createTBody();
    var cells = days.map(function (day, d) {
      var tr = body.insertRow();
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = day.label;
      tr.appendChild(th);
      return painted[d].map(function (on, i) {
        var td = tr.insertCell();
        td.setAttribute("role", "gridcell");
        td.tabIndex = d === 0 && i === 0 ? 0 : -1;
        td.setAttribute("aria-label", day.label + " " + pad((change + i) % HOURS) + ":00");
        td.dataset.d = d;
        td.dataset.i = i;
        return td;
      });
    });

    function show() {
      cells.forEach(function (row, d) {
        row.forEach(function (td, i) {
          td.setAttribute("aria-selected", painted[d][i] ? "true" : "false");
        });
      });
    }

    function writeRows() {
      var wanted = [];
      painted.forEach(function (hours, d) {
        for (var i = 0; i < HOURS; i++) {
          if (!hours[i]) { continue; }
          var start = i;
          while (i < HOURS && hours[i]) { i++; }
          wanted.push([days[d].value, pad((change + start) % HOURS) + ":00", pad((change + i) % HOURS) + ":00"]);
        }
      });
      var rows = rowsOf(box);
      while (rows.length < wanted.length + 1) { rows.push(cloneRow(box, rows[rows.length - 1], rows.length)); }
      rows.forEach(function (row, n) {
        var values = wanted[n] || [days[0].value, "", ""];
        field(row, "day").value = values[0];
        field(row, "start").value = values[1];
        field(row, "end").value = values[2];
      });
    }

    var mode = null;
    function paint(td) {
      painted[td.dataset.d][td.dataset.i] = mode;
      show();
    }
    table.addEventListener("pointerdown", function (e) {
      var td = e.target.closest("td[role=gridcell]");
      if (!td) { return; }
      e.preventDefault();
      mode = !painted[td.dataset.d][td.dataset.i];
      paint(td);
    });
    table.addEventListener("pointerover", function (e) {
      var td = e.target.closest("td[role=gridcell]");
      if (td && mode !== null) { paint(td); }
    });
    document.addEventListener("pointerup", function () {
      if (mode !== null) { mode = null; writeRows(); }
    });
    table.addEventListener("keydown", function (e) {
      var td = e.target.closest("td[role=gridcell]");
      if (!td) { return; }
      var d = +td.dataset.d, i = +td.dataset.i;
      // Right to left, the hours run leftwards: the arrow keys follow what the eye sees.
      var ahead = window.getComputedStyle(table).direction === "rtl" ? -1 : 1;
      var moves = { ArrowLeft: [0, -ahead], ArrowRight: [0, ahead], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
      if (moves[e.key]) {
        var nd = Math.min(Math.max(d + moves[e.key][0], 0), days.length - 1);
        var ni = Math.min(Math.max(i + moves[e.key][1], 0), HOURS - 1);
        td.tabIndex = -1;
        cells[nd][ni].tabIndex = 0;
        cells[nd][ni].focus();
        e.preventDefault();
      } else if (e.key === " " || e.key === "Enter") {
        painted[d][i] = !painted[d][i];
        show();
        writeRows();
        e.preventDefault();
      }
    });

    show();
    var wrap = document.createElement("div");
    wrap.className = "availability-grid-wrap";
    wrap.appendChild(table);
    box.parentNode.insertBefore(wrap, box.nextSibling);
  }

  function cloneRow(box, last, index) {
    var row = last.cloneNode(true);
    row.querySelectorAll(".field-error").forEach(function (p) { p.remove(); });
    row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/ranges-\d+-/, "ranges-" + index + "-")); }
      });
      el.removeAttribute("aria-describedby");
    });
    row.querySelector("legend").textContent = t("range", "Range %(n)s", { n: index + 1 });
    box.appendChild(row);
    return row;
  }

  document.querySelectorAll(".availability-rows").forEach(setUp);
})();
