/* Kiosk page of the outdoor displays: rotation, clock, burn-in shift, offline updates.
 *
 * The page must never show a blank or broken screen. So:
 * - every slide is already in the HTML; this script only shows one at a time;
 * - a service worker keeps the page, its assets and the slide data; the page works
 *   from that cache when the server or the network is gone;
 * - every few minutes the page asks for slides.json; when its version differs, the
 *   service worker is asked to update, which fetches the whole new version first and
 *   takes over only if all of it arrived; the page reloads only then;
 * - nothing here allocates per rotation beyond a timer, so a day of rotations does not
 *   grow the memory.
 *
 * Query parameters (for previews, tests and the image renderer):
 *   ?slide=KEY   show only that slide, still: no clock, no rotation, no updates
 *   ?speed=N     rotate N times faster
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var config = JSON.parse(document.getElementById("display-config").textContent);
  var params = new URLSearchParams(window.location.search);
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var timerFill = document.getElementById("timer");
  var stage = document.getElementById("stage");
  var speed = Math.max(1, Number(params.get("speed")) || 1);
  var SHIFTS = [[0, 0], [6, 4], [-5, 6], [4, -6], [-6, -3], [3, 7], [-3, -7], [7, -2]];
  var index = 0;
  var rotations = 0;
  var rotationTimer = null;

  // Editors' text can be longer than a slide holds: drop the last lines until the rest
  // fits, rather than cutting a line in half (the QR code leads to the full text).
  function fit(slide) {
    var text = slide.querySelector(".text");
    var lines = slide.querySelectorAll(".lines li");
    for (var i = lines.length - 1; i >= 0 && text.scrollHeight > text.clientHeight + 1; i -= 1) {
      lines[i].hidden = true;
    }
  }

  function show(next) {
    slides[index].hidden = true;
    index = next;
    slides[index].hidden = false;
    fit(slides[index]);
  }

  function showOnly(key) {
    slides.forEach(function (slide, i) {
      slide.hidden = slide.getAttribute("data-key") !== key;
      if (!slide.hidden) { index = i; fit(slide); }
    });
  }
  window.uchastvaiShow = showOnly;

  function animateTimer(seconds) {
    timerFill.style.transition = "none";
    timerFill.style.width = "0";
    void timerFill.offsetWidth; // restart the transition without creating elements
    timerFill.style.transition = "width " + seconds + "s linear";
    timerFill.style.width = "100%";
  }

  function shift() {
    var offset = SHIFTS[rotations % SHIFTS.length];
    stage.style.transform = "translate(" + offset[0] + "px, " + offset[1] + "px)";
  }

  function schedule() {
    var seconds = Number(slides[index].getAttribute("data-duration")) / speed;
    animateTimer(seconds);
    clearTimeout(rotationTimer);
    rotationTimer = setTimeout(advance, seconds * 1000);
  }

  function advance() {
    rotations += 1;
    if (slides.length > 1) {
      show((index + 1) % slides.length);
    }
    shift();
    schedule();
  }

  // --- clock: Bulgarian, in the municipality's time zone ---------------------------
  var timeFormat = new Intl.DateTimeFormat(config.lang, { timeZone: config.timezone, hour: "2-digit", minute: "2-digit", hour12: false });
  var dateFormat = new Intl.DateTimeFormat(config.lang, { timeZone: config.timezone, weekday: "short", day: "numeric", month: "long" });
  var clockTime = document.getElementById("clock-time");
  var clockDate = document.getElementById("clock-date");

  function tick() {
    var now = new Date();
    clockTime.textContent = timeFormat.format(now);
    clockDate.textContent = dateFormat.format(now);
  }

  // --- updates: only a complete new version replaces the old one ----------------------
  var registration = null;

  function reloadWhenComplete(version) {
    if (registration) {
      registration.update().catch(function () {});
      return;
    }
    // No service worker (an old player or an iframe): check the new page arrives whole.
    fetch(window.location.href, { cache: "reload" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { if (html.indexOf(version) !== -1) { window.location.reload(); } })
      .catch(function () {});
  }

  function poll() {
    fetch(config.data + "?t=" + Date.now(), { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.version && data.version !== config.version && data.slides && data.slides.length) {
          reloadWhenComplete(data.version);
        }
      })
      .catch(function () { /* offline: keep showing the last good slides */ });
  }

  function startServiceWorker() {
    if (!("serviceWorker" in navigator)) {
      return;
    }
    var hadController = Boolean(navigator.serviceWorker.controller);
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      if (hadController) {
        window.location.reload();
      }
      hadController = true;
    });
    navigator.serviceWorker.register(config.worker, { updateViaCache: "none" })
      .then(function (reg) { registration = reg; })
      .catch(function () { registration = null; });
  }

  function start() {
    var still = params.get("slide");
    if (still) {
      root.classList.add("still");
      showOnly(still);
      root.setAttribute("data-ready", "1");
      return;
    }
    tick();
    setInterval(tick, 1000);
    showOnly(slides[0].getAttribute("data-key"));
    schedule();
    startServiceWorker();
    setInterval(poll, config.poll * 1000);
    window.uchastvaiDisplay = {
      next: advance,
      current: function () { return slides[index].getAttribute("data-key"); },
      version: config.version,
    };
    root.setAttribute("data-ready", "1");
  }

  start();
})();
