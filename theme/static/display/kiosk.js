/* Kiosk page of the outdoor displays: rotation, clock, burn-in shift, offline updates,
 * and the truth by the player's own clock.
 *
 * The page must never show a blank, broken or outdated screen. So:
 * - every slide is already in the HTML, with the dates that make it true (data-ends,
 *   data-closes, data-period); every minute this script recomputes the countdowns from
 *   the player's clock in the municipality's time zone and takes out of the rotation
 *   what has ended (a closed consultation, a past hearing, old news), online or offline;
 *   when nothing is left, the default slide (data-fallback) shows;
 * - a service worker keeps the page, its assets and the slide data; the page works
 *   from that cache when the server or the network is gone;
 * - every few minutes the page asks for slides.json; when its version differs, the
 *   service worker is asked to update, which fetches the whole new version first and
 *   takes over only if all of it arrived; the page reloads only then;
 * - a slide too long for the screen keeps its required lines (class "req"): gaps shrink,
 *   other lines go, and the title is shortened by whole words; font sizes never shrink;
 * - no inline styles in the markup (CSP style-src 'self'): bar widths are set here.
 *
 * Query parameters (for previews, tests and the image renderer):
 *   ?slide=KEY   show only that slide, still: no clock, no countdown, no rotation, no updates
 *   ?speed=N     rotate N times faster
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var config = JSON.parse(document.getElementById("display-config").textContent);
  var params = new URLSearchParams(window.location.search);
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var fallback = document.querySelector(".slide[data-fallback]") || slides[0];
  var timerFill = document.getElementById("timer");
  var stage = document.getElementById("stage");
  var speed = Math.max(1, Number(params.get("speed")) || 1);
  var SHIFTS = [[0, 0], [6, 4], [-5, 6], [4, -6], [-6, -3], [3, 7], [-3, -7], [7, -2]];
  var current = null;
  var rotation = [];
  var rotations = 0;
  var rotationTimer = null;

  // --- fitting: required lines stay, at full size --------------------------------------
  function overflows(slide) {
    var text = slide.querySelector(".text");
    return text.scrollHeight > text.clientHeight + 1 || text.scrollWidth > text.clientWidth + 1;
  }

  // Shorten the title by whole words until the slide fits or ``least`` words are left.
  function shortenTitle(slide, title, least) {
    var words = title.textContent.replace(/…$/, "").split(" ");
    while (overflows(slide) && words.length > least) {
      words.pop();
      // Never end on a preposition or an abbreviation („на“, „в“, „р.“): the cut reads as a cut.
      while (words.length > 1 && words[words.length - 1].replace(/[.,;:–-]+$/, "").length <= 2) {
        words.pop();
      }
      title.textContent = words.join(" ").replace(/[\s,;:–-]+$/, "") + "…";
    }
  }

  // A slide too long for the screen, step by step, until it fits: gaps shrink, lines that
  // are not required go (the last first), the title is shortened to a few words, the kicker
  // and a countdown that repeats the deadline line go, and at last the title is shortened
  // further. Required lines and font sizes are never touched.
  function fit(slide) {
    var title = slide.querySelector(".title");
    var optional = Array.prototype.slice.call(slide.querySelectorAll(".lines li.more"));
    var droppable = Array.prototype.slice.call(slide.querySelectorAll(".kicker, .highlight:not(.req)"));
    slide.classList.remove("tight");
    optional.concat(droppable).forEach(function (element) { element.hidden = false; });
    title.textContent = title.getAttribute("data-full");
    if (!overflows(slide)) { return; }
    slide.classList.add("tight");
    for (var i = optional.length - 1; i >= 0 && overflows(slide); i -= 1) {
      optional[i].hidden = true;
    }
    shortenTitle(slide, title, 4);
    for (var j = 0; j < droppable.length && overflows(slide); j += 1) {
      droppable[j].hidden = true;
    }
    if (j > 0) { // room was made: the longest title that now fits, from the full one again
      title.textContent = title.getAttribute("data-full");
    }
    shortenTitle(slide, title, 1);
  }

  function drawBars() {
    Array.prototype.forEach.call(document.querySelectorAll(".track[data-percent]"), function (track) {
      var percent = Math.max(0, Math.min(100, Number(track.getAttribute("data-percent")) || 0));
      track.querySelector(".fill").style.width = percent + "%"; // CSSOM, allowed by the CSP
    });
  }

  // The time bar of a project: elapsed days of its period, rounded half up as the build does.
  function timeBars(day) {
    Array.prototype.forEach.call(document.querySelectorAll(".track[data-starts]"), function (track) {
      var start = dayNumber(track.getAttribute("data-starts"));
      var span = dayNumber(track.getAttribute("data-ends")) - start;
      var elapsed = Math.max(0, Math.min(day - start, span));
      var percent = span > 0 ? Math.floor((200 * elapsed + span) / (2 * span)) : 0;
      track.setAttribute("data-percent", String(percent));
      track.setAttribute("aria-valuenow", String(percent));
      track.parentNode.querySelector(".percent").textContent = percent + "%";
    });
    drawBars();
  }

  // --- the day in the municipality's time zone ---------------------------------------
  var dayFormat = new Intl.DateTimeFormat("en-CA", { timeZone: config.timezone, year: "numeric", month: "2-digit", day: "2-digit" });
  var plural = new Intl.PluralRules(config.lang);

  function dayNumber(isoDate) {
    var parts = isoDate.split("-").map(Number);
    return Date.UTC(parts[0], parts[1] - 1, parts[2]) / 86400000;
  }

  function today(now) {
    var parts = {};
    dayFormat.formatToParts(now).forEach(function (part) { parts[part.type] = part.value; });
    return dayNumber(parts.year + "-" + parts.month + "-" + parts.day);
  }

  // „остават 9 от 30 дни“: the same texts and plural forms as the build (gettext's catalogue).
  function countdownText(left, period) {
    if (left === 0) { return config.texts.last_day; }
    var form = config.texts.left[plural.select(left) === "one" ? 0 : 1];
    return form.replace("{left}", String(left)).replace("{period}", String(period));
  }
  window.uchastvaiCountdown = countdownText;

  function isOver(slide, now) {
    var ends = slide.getAttribute("data-ends");
    return Boolean(ends) && now.getTime() >= Date.parse(ends);
  }

  // Recompute what is true now: countdowns, which slides rotate, and the default slide.
  function refresh() {
    var now = new Date();
    var day = today(now);
    var live = [];
    slides.forEach(function (slide) {
      var over = isOver(slide, now);
      slide.toggleAttribute("data-over", over);
      var closes = slide.getAttribute("data-closes");
      var highlight = slide.querySelector(".countdown");
      if (closes && highlight && !over) {
        highlight.textContent = countdownText(dayNumber(closes) - day, Number(slide.getAttribute("data-period")));
      }
      if (!over && slide !== fallback) { live.push(slide); }
    });
    timeBars(day);
    var substantial = live.some(function (slide) { return slide.getAttribute("data-kind") !== "ideas"; });
    rotation = substantial ? live : [fallback];
    if (rotation.indexOf(current) === -1) {
      show(rotation[0]);
      schedule();
    } else {
      fit(current);
    }
  }

  function show(slide) {
    if (current) { current.hidden = true; }
    current = slide;
    current.hidden = false;
    fit(current);
  }

  function showOnly(key) {
    slides.forEach(function (slide) {
      slide.hidden = slide.getAttribute("data-key") !== key;
      if (!slide.hidden) { current = slide; fit(slide); }
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
    stage.style.transform = "translate(" + offset[0] / 10 + "rem, " + offset[1] / 10 + "rem)";
  }

  function schedule() {
    var seconds = Number(current.getAttribute("data-duration")) / speed;
    animateTimer(seconds);
    clearTimeout(rotationTimer);
    rotationTimer = setTimeout(advance, seconds * 1000);
  }

  function advance() {
    rotations += 1;
    var position = rotation.indexOf(current);
    show(rotation[(position + 1) % rotation.length]);
    shift();
    schedule();
  }

  // --- clock: Bulgarian, in the municipality's time zone ---------------------------
  var timeFormat = new Intl.DateTimeFormat(config.lang, { timeZone: config.timezone, hour: "2-digit", minute: "2-digit", hour12: false });
  var dateFormat = new Intl.DateTimeFormat(config.lang, { timeZone: config.timezone, weekday: "short", day: "numeric", month: "long" });
  var clockTime = document.getElementById("clock-time");
  var clockDate = document.getElementById("clock-date");
  var lastMinute = null;

  function tick() {
    var now = new Date();
    clockTime.textContent = timeFormat.format(now);
    clockDate.textContent = dateFormat.format(now);
    var minute = Math.floor(now.getTime() / 60000);
    if (minute !== lastMinute) {
      lastMinute = minute;
      refresh();
    }
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
    drawBars();
    var still = params.get("slide");
    if (still) {
      root.classList.add("still");
      showOnly(still);
      root.setAttribute("data-ready", "1");
      return;
    }
    slides.forEach(function (slide) { slide.hidden = true; });
    tick();
    setInterval(tick, 1000);
    startServiceWorker();
    setInterval(poll, config.poll * 1000);
    window.uchastvaiDisplay = {
      next: advance,
      refresh: refresh,
      current: function () { return current.getAttribute("data-key"); },
      rotation: function () { return rotation.map(function (slide) { return slide.getAttribute("data-key"); }); },
      version: config.version,
    };
    root.setAttribute("data-ready", "1");
  }

  start();
})();
