// Live board: follows the board's Server-Sent Events. Participants' screens patch cards and dot counts in
// place; everything else (clusters, rounds, moderation) reloads the live part from the server. Forms for
// cards and votes are sent in the background. Without JavaScript every form still works by reloading.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.EventSource) { return; }
  var mode = live.dataset.mode;
  var announce = document.getElementById("board-announce");
  var refreshing = false, again = false, timer = null;

  function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    var focused = document.activeElement && document.activeElement.id;
    fetch(live.dataset.live, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null) {
          live.innerHTML = html;
          bindVotes(live);
          if (focused) {
            var el = document.getElementById(focused);
            if (el) { el.focus(); }
          }
        }
      })
      .catch(function () {})
      .then(function () {
        refreshing = false;
        if (again) { again = false; schedule(); }
      });
  }

  function schedule() {
    if (timer) { return; }
    timer = setTimeout(function () { timer = null; refresh(); }, 120);
  }

  function say(text) {
    if (announce) { announce.textContent = text; }
  }

  function onCard(ev) {
    var d = JSON.parse(ev.data);
    var el = document.getElementById("card-" + d.id);
    if (mode === "moderator") { schedule(); if (!el && !d.hidden) { say(live.dataset.newCard + " " + d.text); } return; }
    if (d.hidden) { if (el) { el.remove(); } return; }
    var list = document.getElementById(d.cluster_id ? "cards-c" + d.cluster_id : "cards-unsorted");
    if (!list) { schedule(); return; }
    if (!el) {
      say(live.dataset.newCard + " " + d.text);
      var tpl = document.getElementById("card-tpl");
      if (!tpl || document.querySelector(".round-open")) {
        // While a round is open the card needs this viewer's vote buttons: the server renders it.
        schedule();
        return;
      }
      el = tpl.content.firstElementChild.cloneNode(true);
      el.id = "card-" + d.id;
      el.dataset.id = d.id;
      if (d.category) {
        el.classList.add("cat-" + d.category);
        var cat = el.querySelector(".cat");
        cat.textContent = tpl.dataset[d.category] || d.category;
        cat.hidden = false;
      }
      el.querySelector(".text").textContent = d.text;
      list.appendChild(el);
      return;
    }
    var text = el.querySelector(".text");
    if (text) { text.textContent = d.text; }
    if (el.parentNode !== list) { list.appendChild(el); }
  }

  function onDots(ev) {
    var d = JSON.parse(ev.data);
    var el = document.getElementById("card-" + d.card);
    var n = el && el.querySelector(".dots-n");
    if (n && mode !== "moderator") { n.textContent = d.dots; } else { schedule(); }
  }

  function connect() {
    var url = live.dataset.events + "?since=" + encodeURIComponent(live.dataset.seq);
    var es = new EventSource(url);
    es.addEventListener("card", onCard);
    es.addEventListener("dots", onDots);
    ["cluster", "cluster_removed", "round", "links", "settings"].forEach(function (k) {
      es.addEventListener(k, schedule);
    });
    // The browser reconnects by itself and sends Last-Event-ID, so missed events arrive on reconnect.
    window.addEventListener("pagehide", function () { es.close(); });
  }

  function send(form, extra) {
    var body = new URLSearchParams(new FormData(form));
    if (extra) { body.set(extra[0], extra[1]); }
    return fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: body
    }).then(function (r) {
      var json = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (json) { return r.json(); }
      // An HTML answer (expired session, refused request): show the server's page instead of failing silently.
      window.location.assign(r.url || window.location.href);
      return { ok: false, message: "" };
    }).catch(function () {
      return { ok: false, message: live.dataset.offline };
    });
  }

  function bindVotes(root) {
    root.querySelectorAll("form.vote").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var b = e.submitter;
        send(form, b ? [b.name, b.value] : null).then(function (res) {
          if (res.ok) {
            var rem = document.getElementById("remaining");
            if (rem) { rem.dataset.remaining = res.details.remaining; }
            schedule();
          } else {
            say(res.message);
            window.alert(res.message);
          }
        });
      });
    });
  }

  var add = document.getElementById("add-card-form");
  if (add) {
    add.addEventListener("submit", function (e) {
      e.preventDefault();
      var text = document.getElementById("f-text");
      var err = document.getElementById("f-text-error");
      send(add).then(function (res) {
        if (res.ok) {
          text.value = "";
          text.removeAttribute("aria-invalid");
          if (err) { err.hidden = true; err.textContent = ""; }
          text.focus();
        } else {
          if (err) { err.hidden = false; err.textContent = res.message; }
          text.setAttribute("aria-invalid", "true");
          text.focus();
        }
      });
    });
  }
  bindVotes(live);
  connect();
}());
