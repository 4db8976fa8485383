// alignment-worker review page: seeking, keyboard review, upload progress. No build step.
(function () {
  "use strict";

  function player() { return document.getElementById("player"); }

  function seek(seconds, play) {
    var audio = player();
    if (!audio) return;
    var go = function () {
      audio.currentTime = seconds;
      if (play) { var p = audio.play(); if (p && p.catch) p.catch(function () {}); }
    };
    if (audio.readyState >= 1) go(); else audio.addEventListener("loadedmetadata", go, { once: true });
  }

  // click on a transcript line or a play button: seek there and play
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-seek]");
    if (!el) return;
    seek(parseFloat(el.dataset.seek) || 0, true);
  });

  // highlight the transcript line being played
  function followPlayer() {
    var audio = player();
    if (!audio) return;
    var turns = Array.prototype.slice.call(document.querySelectorAll(".turn[data-seek]"));
    audio.addEventListener("timeupdate", function () {
      var t = audio.currentTime, current = null;
      turns.forEach(function (b) { if (parseFloat(b.dataset.seek) <= t) current = b; });
      turns.forEach(function (b) { b.classList.toggle("now", b === current); });
    });
    var start = parseFloat(audio.dataset.start || "0");
    if (start > 0) seek(start, false);
  }

  var swapping = null;  // id of the highlight card htmx is replacing (after a review action)

  // keyboard review: j/k move between highlights, a accept, e edit, r reject, space play
  function cards() { return Array.prototype.slice.call(document.querySelectorAll(".highlight")); }
  var currentId = null;  // survives htmx replacing the card (focus and classes are lost then)
  function currentCard() {
    var el = document.activeElement;
    return (el && el.closest && el.closest(".highlight")) || (currentId && document.getElementById(currentId))
      || document.querySelector(".highlight.current");
  }
  function focusCard(card) {
    if (!card) return;
    currentId = card.id;
    cards().forEach(function (c) { c.classList.toggle("current", c === card); });
    card.focus();
    card.scrollIntoView({ block: "nearest" });
  }
  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(document.activeElement)) return;
    var all = cards();
    if (!all.length) return;
    var card = currentCard(), at = all.indexOf(card);
    if (ev.key === "j" || ev.key === "k") {
      ev.preventDefault();
      swapping = null;  // the reviewer moved on: a card swapped in later must not pull focus back
      var next = ev.key === "j" ? Math.min(at + 1, all.length - 1) : Math.max(at - 1, 0);
      if (at < 0) next = 0;
      focusCard(all[next]);
      return;
    }
    if (!card) return;
    if (ev.key === "a" || ev.key === "r") {
      ev.preventDefault();
      var button = card.querySelector('button[data-key="' + ev.key + '"]');
      if (button) button.form.requestSubmit(button);
    } else if (ev.key === "e") {
      ev.preventDefault();
      var details = card.querySelector("details.edit");
      if (details) { details.open = true; var f = details.querySelector("select, input:not([type=hidden])"); if (f) f.focus(); }
    } else if (ev.key === " " && (document.activeElement === card || document.activeElement === document.body)) {
      ev.preventDefault();
      var audio = player();
      if (audio && !audio.paused) audio.pause(); else seek(parseFloat(card.dataset.start) || 0, true);
    }
  });

  // after htmx swaps a reviewed card in, keep the keyboard on it
  document.addEventListener("htmx:beforeSwap", function (ev) {
    var t = ev.detail && ev.detail.target;
    swapping = t && t.classList && t.classList.contains("highlight") ? t.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var card = swapping && document.getElementById(swapping);
    swapping = null;
    if (card) focusCard(card);
  });

  // upload: drag and drop, XHR with a real progress bar, then the live status
  function setupUpload() {
    var form = document.getElementById("upload-form");
    if (!form) return;
    var drop = document.getElementById("drop"), input = document.getElementById("recording");
    ["dragenter", "dragover"].forEach(function (n) {
      drop.addEventListener(n, function (ev) { ev.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (n) {
      drop.addEventListener(n, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (ev) {
      ev.preventDefault();
      if (ev.dataTransfer && ev.dataTransfer.files.length) input.files = ev.dataTransfer.files;
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var bar = document.getElementById("upload-bar"), pct = document.getElementById("upload-pct");
      var box = document.getElementById("upload-progress"), err = document.getElementById("upload-error");
      var button = document.getElementById("upload-button");
      err.hidden = true; box.hidden = false; button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRF-Token", form.dataset.csrf);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var p = Math.round((e.loaded / e.total) * 100);
        bar.value = p; pct.textContent = p + "%";
      });
      xhr.addEventListener("load", function () {
        button.disabled = false;
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = { error: "The server answered " + xhr.status + "." }; }
        if (xhr.status >= 400) {
          var why = body.error && (body.error.message || body.error);
          box.hidden = true; err.textContent = why || "Upload refused (" + xhr.status + ")."; err.hidden = false;
          err.focus && err.setAttribute("tabindex", "-1"); err.focus && err.focus();
          return;
        }
        bar.value = 100; pct.textContent = "100% — uploaded";
        var status = document.getElementById("job-status");
        status.innerHTML = '<div hx-get="' + body.status_url + '" hx-trigger="load" hx-swap="outerHTML"></div>';
        if (window.htmx) window.htmx.process(status);
      });
      xhr.addEventListener("error", function () {
        button.disabled = false; box.hidden = true;
        err.textContent = "The upload did not reach the server; check the connection and try again."; err.hidden = false;
      });
      var data = new FormData(form);
      var extra = document.getElementById("transcript");
      if (extra && !extra.files.length) data.delete("transcript");  // no file chosen: no part at all
      xhr.send(data);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { followPlayer(); setupUpload(); });
})();
