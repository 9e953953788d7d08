// The visual schedule editor's dragging (progressive enhancement of schedule/grid.html).
// Native HTML5 drag and drop moves cards; pointer events resize them. Every change is one
// JSON POST (X-CSRFToken) to the same services the forms use; the answer carries the card's
// new state and the conflicts involving it, so the page never reloads. The last change can
// be undone: we keep its inverse and send it with the card's current version, so an undo
// after someone else's change is refused like any stale change.
(function () {
  "use strict";
  // Messages in the page's language with the English as fallback (messages.js,
  // podium.i18n.js): t(key, english, values).
  var t = window.podiumMessages("schedule-editor");
  var grid = document.getElementById("editor-grid");
  if (!grid || !window.fetch) { return; }
  var api = grid.getAttribute("data-api");
  var step = parseInt(grid.getAttribute("data-step"), 10);
  var axisStart = Date.parse(grid.getAttribute("data-axis-start"));
  var rowCount = parseInt(grid.getAttribute("data-rows"), 10);
  var csrfInput = document.querySelector('input[name="csrf_token"]');
  var csrf = csrfInput ? csrfInput.value : "";
  var list = document.getElementById("unscheduled-list");
  var statusEl = document.getElementById("editor-status");
  var alertEl = document.getElementById("editor-alert");
  var undoButton = document.getElementById("undo-button");
  var conflictCount = document.getElementById("conflict-count");
  var conflictList = document.getElementById("conflict-list");
  var conflicts = JSON.parse(document.getElementById("editor-conflicts").textContent);
  var MINUTE = 60000;
  var columns = {};
  var undo = null;
  var dragging = null;
  var busy = false;

  Array.prototype.forEach.call(grid.querySelectorAll(".grid-room"), function (el, i) {
    columns[el.getAttribute("data-room-id")] = i + 2;
  });

  var ghost = document.createElement("div");
  ghost.className = "drop-ghost";
  ghost.hidden = true;
  ghost.setAttribute("aria-hidden", "true");
  grid.appendChild(ghost);

  function say(message) {
    statusEl.textContent = message;
  }

  function warn(message) {
    alertEl.textContent = message;
    alertEl.hidden = !message;
  }

  function post(path, body) {
    return fetch(api + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      }, function () {
        return { ok: false, status: response.status, data: { error: { message: t("server_answered", "The server answered %(status)s.", { status: response.status }) } } };
      });
    });
  }

  // --- positions --------------------------------------------------------------------------

  function placeOnGrid(card) {
    var start = Date.parse(card.getAttribute("data-start"));
    var minutes = parseInt(card.getAttribute("data-minutes"), 10);
    var row = 2 + Math.floor((start - axisStart) / MINUTE / step);
    var span = Math.max(1, Math.ceil(minutes / step));
    var room = card.getAttribute("data-room-id");
    card.style.gridRow = row + " / span " + span;
    card.style.gridColumn = room ? String(columns[room]) : "2 / span " + grid.getAttribute("data-rooms");
  }

  function layoutLanes() {
    // Cards overlapping in one room are offset so both stay visible (a conflict to resolve).
    var byColumn = {};
    Array.prototype.forEach.call(grid.querySelectorAll(".slot-card"), function (card) {
      var key = card.getAttribute("data-room-id") || "all";
      (byColumn[key] = byColumn[key] || []).push(card);
    });
    Object.keys(byColumn).forEach(function (key) {
      var cards = byColumn[key].sort(function (a, b) {
        return Date.parse(a.getAttribute("data-start")) - Date.parse(b.getAttribute("data-start"));
      });
      var ends = [];
      cards.forEach(function (card) {
        var start = Date.parse(card.getAttribute("data-start"));
        var end = start + parseInt(card.getAttribute("data-minutes"), 10) * MINUTE;
        var lane = 0;
        while (lane < ends.length && ends[lane] > start) { lane += 1; }
        ends[lane] = end;
        card.style.setProperty("--lane", String(Math.min(lane, 3)));
      });
    });
  }

  function target(event) {
    var rooms = grid.querySelectorAll(".grid-room");
    var times = grid.querySelectorAll(".grid-time");
    if (!rooms.length || !times.length) { return null; }
    var roomId = null;
    Array.prototype.forEach.call(rooms, function (el) {
      var box = el.getBoundingClientRect();
      if (event.clientX >= box.left && event.clientX < box.right) { roomId = el.getAttribute("data-room-id"); }
    });
    if (!roomId) { return null; }
    var first = times[0].getBoundingClientRect();
    var offset = dragging && dragging.offsetRows ? dragging.offsetRows : 0;
    var index = Math.floor((event.clientY - first.top) / first.height) - offset;
    index = Math.max(0, Math.min(rowCount - 1, index));
    return { roomId: parseInt(roomId, 10), row: index, start: new Date(axisStart + index * step * MINUTE).toISOString() };
  }

  function rowHeight() {
    var first = grid.querySelector(".grid-time");
    return first ? first.getBoundingClientRect().height : 20;
  }

  // --- applying answers -----------------------------------------------------------------

  function fromHtml(html) {
    var box = document.createElement("div");
    box.innerHTML = html.trim();
    return box.firstElementChild;
  }

  function showSlot(slot, slotId) {
    var old = document.getElementById("card-" + slotId);
    var visible = slot && slot.day === grid.getAttribute("data-day") &&
      (!slot.room_id || columns[String(slot.room_id)]);
    if (!visible) {
      if (old) { old.remove(); }
      return null;
    }
    var card = fromHtml(slot.html);
    placeOnGrid(card);
    if (old) { old.replaceWith(card); } else { grid.appendChild(card); }
    wireCard(card);
    return card;
  }

  function applyConflicts(affected, fresh) {
    conflicts = conflicts.filter(function (c) {
      return !c.slot_ids.some(function (id) { return affected.indexOf(id) >= 0; });
    }).concat(fresh);
    renderConflicts();
  }

  function renderConflicts() {
    var bySlot = {};
    conflicts.forEach(function (c) {
      c.slot_ids.forEach(function (id) { (bySlot[id] = bySlot[id] || []).push(c); });
    });
    Array.prototype.forEach.call(grid.querySelectorAll(".slot-card"), function (card) {
      var mine = bySlot[card.getAttribute("data-slot-id")] || [];
      card.classList.toggle("has-conflict", mine.length > 0);
      card.querySelector(".slot-conflicts").textContent = mine.length
        ? t("conflicts", { one: "⚠ %(num)s conflict", other: "⚠ %(num)s conflicts" }, { num: mine.length }) : "";
      card.title = mine.map(function (c) { return c.message; }).join("\n");
    });
    conflictCount.textContent = String(conflicts.length);
    conflictList.textContent = "";
    conflicts.slice(0, 300).forEach(function (c) {
      var li = document.createElement("li");
      li.className = "conflict conflict-" + c.kind;
      li.textContent = c.message;
      conflictList.appendChild(li);
    });
    layoutLanes();
  }

  function setUndo(label, run) {
    undo = run ? { label: label, run: run } : null;
    undoButton.hidden = false;
    undoButton.disabled = !undo;
    undoButton.textContent = undo ? t("undo_label", "Undo: %(label)s", { label: label }) : t("undo_last", "Undo last change");
  }

  function countUnscheduled() {
    document.getElementById("unscheduled-count").textContent =
      String(list.querySelectorAll(".unscheduled-item").length);
  }

  // One change: POST, then show the answer. ``inverse(answer)`` builds the undo, if any.
  function change(path, body, done, label, inverse) {
    if (busy) { return Promise.resolve(); }
    busy = true;
    var began = performance.now();
    warn("");
    return post(path, body).then(function (answer) {
      busy = false;
      var data = answer.data || {};
      if (answer.status === 409) {
        // Stale view: refresh the card to its current state; nothing was saved.
        showSlot(data.slot, data.slot_id);
        renderConflicts();
        setUndo(null, null);
        warn(data.error ? data.error.message : t("stale", "Someone else changed this slot."));
        return;
      }
      if (!answer.ok) {
        warn(data.error ? data.error.message : t("not_saved", "The change was not saved."));
        return;
      }
      var card = showSlot(data.slot, data.slot_id);
      if (done) { done(data, card); }
      applyConflicts(data.affected, data.conflicts);
      grid.setAttribute("data-last-change-ms", String(Math.round(performance.now() - began)));
      setUndo(label, inverse ? inverse(data) : null);
      say(label ? t("saved", "Saved: %(label)s.", { label: label }) : t("undone", "Undone."));
    }, function () {
      busy = false;
      warn(t("unreachable", "The server could not be reached; nothing was saved."));
    });
  }

  function versionOf(slotId) {
    var card = document.getElementById("card-" + slotId);
    return card ? parseInt(card.getAttribute("data-version"), 10) : 0;
  }

  // --- the four changes ------------------------------------------------------------------

  function place(submissionId, roomId, start, label) {
    return change("/place", { submission_id: submissionId, room_id: roomId, start: start }, function () {
      var item = document.getElementById("unscheduled-" + submissionId);
      if (item) { item.remove(); }
      countUnscheduled();
    }, label, label && function (data) {
      return function () { return unschedule(data.slot_id, null); };
    });
  }

  function move(slotId, roomId, start, label) {
    var card = document.getElementById("card-" + slotId);
    var was = { room: parseInt(card.getAttribute("data-room-id"), 10), start: card.getAttribute("data-start") };
    return change("/slots/" + slotId + "/move", { room_id: roomId, start: start, version: versionOf(slotId) },
      null, label, label && function () {
        return function () { return move(slotId, was.room, was.start, null); };
      });
  }

  function resize(slotId, minutes, label) {
    var card = document.getElementById("card-" + slotId);
    var was = parseInt(card.getAttribute("data-minutes"), 10);
    return change("/slots/" + slotId + "/resize", { minutes: minutes, version: versionOf(slotId) },
      null, label, label && function () {
        return function () { return resize(slotId, was, null); };
      });
  }

  function unschedule(slotId, label) {
    var card = document.getElementById("card-" + slotId);
    var was = { room: parseInt(card.getAttribute("data-room-id"), 10), start: card.getAttribute("data-start"),
      submission: parseInt(card.getAttribute("data-submission-id"), 10) };
    return change("/slots/" + slotId + "/unschedule", { version: versionOf(slotId) }, function (data) {
      if (data.submission && !document.getElementById("unscheduled-" + data.submission.id)) {
        var item = fromHtml(data.submission.html);
        list.insertBefore(item, list.firstChild);
        wireItem(item);
        countUnscheduled();
      }
    }, label, label && function () {
      return function () { return place(was.submission, was.room, was.start, null); };
    });
  }

  undoButton.addEventListener("click", function () {
    if (!undo) { return; }
    var run = undo.run;
    setUndo(null, null);
    run();
  });

  // --- dragging --------------------------------------------------------------------------

  function title(el) {
    var strong = el.querySelector(".slot-title, strong");
    return strong ? strong.textContent : t("the_session", "the session");
  }

  function wireCard(card) {
    if (card.getAttribute("draggable") !== "true") { return; }
    card.addEventListener("dragstart", function (event) {
      var box = card.getBoundingClientRect();
      dragging = { kind: "slot", id: card.getAttribute("data-slot-id"), minutes: parseInt(card.getAttribute("data-minutes"), 10),
        offsetRows: Math.floor((event.clientY - box.top) / rowHeight()), began: performance.now() };
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "slot:" + dragging.id);
      card.classList.add("dragging");
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("dragging");
      ghost.hidden = true;
      list.classList.remove("drop-target");
    });
    var handle = card.querySelector(".resize-handle");
    if (handle) { wireResize(card, handle); }
  }

  function wireItem(item) {
    item.addEventListener("dragstart", function (event) {
      dragging = { kind: "submission", id: item.getAttribute("data-submission-id"),
        minutes: parseInt(item.getAttribute("data-minutes"), 10), offsetRows: 0 };
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "submission:" + dragging.id);
    });
    item.addEventListener("dragend", function () { ghost.hidden = true; });
  }

  function wireResize(card, handle) {
    handle.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      event.stopPropagation();
      card.setAttribute("draggable", "false");
      handle.setPointerCapture(event.pointerId);
      var top = card.getBoundingClientRect().top;
      var was = parseInt(card.getAttribute("data-minutes"), 10);
      var minutes = was;
      function moveTo(e) {
        var rows = Math.max(1, Math.round((e.clientY - top) / rowHeight()));
        minutes = rows * step;
        var row = parseInt(card.style.gridRow, 10);
        card.style.gridRow = row + " / span " + rows;
      }
      function stop() {
        handle.removeEventListener("pointermove", moveTo);
        handle.removeEventListener("pointerup", stop);
        handle.removeEventListener("pointercancel", stop);
        card.setAttribute("draggable", "true");
        if (minutes !== was) {
          resize(parseInt(card.getAttribute("data-slot-id"), 10), minutes, t("resized",
            { one: "resized “%(title)s” to %(num)s minute", other: "resized “%(title)s” to %(num)s minutes" },
            { title: title(card), num: minutes }));
        } else {
          placeOnGrid(card);
        }
      }
      handle.addEventListener("pointermove", moveTo);
      handle.addEventListener("pointerup", stop);
      handle.addEventListener("pointercancel", stop);
    });
  }

  grid.addEventListener("dragover", function (event) {
    if (!dragging) { return; }
    var spot = target(event);
    if (!spot) { ghost.hidden = true; return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    ghost.hidden = false;
    ghost.style.gridColumn = String(columns[String(spot.roomId)]);
    ghost.style.gridRow = (spot.row + 2) + " / span " + Math.max(1, Math.ceil(dragging.minutes / step));
  });

  grid.addEventListener("dragleave", function (event) {
    if (event.target === grid) { ghost.hidden = true; }
  });

  grid.addEventListener("drop", function (event) {
    if (!dragging) { return; }
    event.preventDefault();
    ghost.hidden = true;
    var spot = target(event);
    var what = dragging;
    dragging = null;
    if (!spot) { return; }
    if (what.kind === "submission") {
      var item = document.getElementById("unscheduled-" + what.id);
      place(parseInt(what.id, 10), spot.roomId, spot.start, t("placed", "placed “%(title)s”", { title: title(item) }));
    } else {
      var card = document.getElementById("card-" + what.id);
      if (card.getAttribute("data-start") === spot.start.replace(".000Z", "Z") &&
          card.getAttribute("data-room-id") === String(spot.roomId)) { return; }
      move(parseInt(what.id, 10), spot.roomId, spot.start, t("moved", "moved “%(title)s”", { title: title(card) }));
    }
  });

  list.addEventListener("dragover", function (event) {
    if (!dragging || dragging.kind !== "slot") { return; }
    event.preventDefault();
    list.classList.add("drop-target");
  });
  list.addEventListener("dragleave", function () { list.classList.remove("drop-target"); });
  list.addEventListener("drop", function (event) {
    if (!dragging || dragging.kind !== "slot") { return; }
    event.preventDefault();
    list.classList.remove("drop-target");
    var card = document.getElementById("card-" + dragging.id);
    var id = parseInt(dragging.id, 10);
    dragging = null;
    unschedule(id, t("unscheduled", "unscheduled “%(title)s”", { title: title(card) }));
  });

  // --- live filter of the unscheduled list -------------------------------------------------

  var filterForm = document.getElementById("unscheduled-filter");
  function filterList() {
    var q = filterForm.elements.q.value.trim().toLowerCase();
    var track = filterForm.elements.track.value;
    var type = filterForm.elements.type.value;
    Array.prototype.forEach.call(list.querySelectorAll(".unscheduled-item"), function (item) {
      item.hidden = (q && item.getAttribute("data-title").indexOf(q) < 0) ||
        (track && item.getAttribute("data-track-id") !== track) ||
        (type && item.getAttribute("data-type-id") !== type);
    });
  }
  filterForm.addEventListener("input", filterList);
  filterForm.addEventListener("change", filterList);

  Array.prototype.forEach.call(grid.querySelectorAll(".slot-card"), wireCard);
  Array.prototype.forEach.call(list.querySelectorAll(".unscheduled-item"), wireItem);
  undoButton.hidden = false;
  renderConflicts();
  grid.setAttribute("data-ready", "true");
}());
