// Small behaviours for Stances. Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  // The map tooltip: name, position and since when, on hover and on keyboard focus.
  function tooltipFor(country) {
    var frame = country.closest("[data-map]");
    return frame ? frame.querySelector("[data-tooltip]") : null;
  }

  function showTooltip(country) {
    var tip = tooltipFor(country);
    if (!tip) return;
    tip.textContent = "";
    var name = document.createElement("strong");
    name.textContent = country.dataset.name;
    tip.appendChild(name);
    tip.appendChild(document.createElement("br"));
    tip.appendChild(document.createTextNode(country.dataset.position));
    if (country.dataset.since) {
      tip.appendChild(document.createElement("br"));
      tip.appendChild(document.createTextNode(country.dataset.since));
    }
    var frame = tip.parentElement.getBoundingClientRect();
    var box = country.getBoundingClientRect();
    var left = box.left - frame.left + box.width / 2;
    var top = box.top - frame.top;
    tip.hidden = false;
    left = Math.max(4, Math.min(left - tip.offsetWidth / 2, frame.width - tip.offsetWidth - 4));
    top = top - tip.offsetHeight - 8;
    if (top < 4) top = box.bottom - frame.top + 8;
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  function hideTooltip(country) {
    var tip = tooltipFor(country);
    if (tip) tip.hidden = true;
  }

  document.addEventListener("mouseover", function (event) {
    var country = event.target.closest && event.target.closest(".country");
    if (country) showTooltip(country);
  });
  document.addEventListener("mouseout", function (event) {
    var country = event.target.closest && event.target.closest(".country");
    if (country && !country.contains(event.relatedTarget)) hideTooltip(country);
  });
  document.addEventListener("focusin", function (event) {
    var country = event.target.closest && event.target.closest(".country");
    if (country) showTooltip(country);
  });
  document.addEventListener("focusout", function (event) {
    var country = event.target.closest && event.target.closest(".country");
    if (country) hideTooltip(country);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("[data-tooltip]").forEach(function (tip) { tip.hidden = true; });
  });

  // The side panel. Whoever opened it (a country on the map, a row of the table) gets focus
  // back when it closes, by Close or by Escape; what is loaded into it gets focus on arrival:
  // the first field in error after a refused save, else its heading.
  var panelOpener = null;

  function openerSelector(elt) {
    if (elt.id) return "#" + elt.id;
    var row = elt.closest("tr[id]");
    return row ? "#" + row.id + " th a" : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var target = event.detail.target;
    if (target && target.id === "panel" && !elt.closest("#panel")) {
      panelOpener = openerSelector(elt);
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "panel") return;
    if (!target.querySelector("[data-panel-loaded]")) {
      var opener = panelOpener && document.querySelector(panelOpener);
      if (opener) opener.focus();
      return;
    }
    var bad = target.querySelector(".has-error input, .has-error select, .has-error textarea");
    var heading = target.querySelector("#panel-heading");
    if (bad) bad.focus();
    else if (heading) heading.focus();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    // Only a timeline closes so: an editing form open in the panel keeps what was typed.
    var close = document.querySelector("#panel [data-close-panel]");
    if (!close) return;
    // htmx takes up swapped-in links as the swap settles; Escape may come before that.
    if (window.htmx) window.htmx.process(close);
    close.click();
  });

  // The time slider on the map page. Without script it stays hidden and the date field does
  // the same work. Its value counts days from data-start; when it stops (a key press, a drag
  // let go) the page moves to that date through the date form, so the address follows.
  var DAY = 24 * 60 * 60 * 1000;
  var LONG_DATE = { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };

  function sliderDate(slider, input) {
    var start = Date.parse(slider.dataset.start + "T00:00:00Z");
    return new Date(start + Number(input.value) * DAY);
  }

  function offsetOf(slider, isoDay) {
    var start = Date.parse(slider.dataset.start + "T00:00:00Z");
    return Math.round((Date.parse(isoDay + "T00:00:00Z") - start) / DAY);
  }

  // The page's language as the browser's date formatting knows it: British English (as the
  // server writes dates) and the Portuguese of Portugal.
  function pageLocale() {
    var lang = document.documentElement.lang || "en";
    return { en: "en-GB", pt: "pt-PT" }[lang] || lang;
  }

  function showSliderDate(slider, input) {
    var text = sliderDate(slider, input).toLocaleDateString(pageLocale(), LONG_DATE);
    input.setAttribute("aria-valuetext", text);
    slider.querySelector("[data-slider-date]").textContent = text;
  }

  function setUpSlider(slider) {
    var input = slider.querySelector("input[type=range]");
    var form = slider.closest("form");
    var dateField = form.querySelector("input[type=date]");
    var play = slider.querySelector("[data-play]");
    // pending: null while the slider is at rest, "moving" while the reader moves it, then the
    // timer that will go to its date.
    var pending = null;
    var playing = false;
    var firstStep = false;
    var nextStep = null;
    slider.hidden = false;

    function go() {
      pending = null;
      dateField.value = sliderDate(slider, input).toISOString().slice(0, 10);
      form.requestSubmit();
    }
    input.addEventListener("input", function () {
      if (playing) stop();  // the reader took over
      showSliderDate(slider, input);
      if (pending === null) pending = "moving";
    });
    input.addEventListener("change", function () {
      // Keys repeat and drags report as they go: wait until the slider has stopped.
      if (pending !== null && pending !== "moving") clearTimeout(pending);
      pending = setTimeout(go, 350);
    });

    function stop() {
      playing = false;
      clearTimeout(nextStep);
      play.textContent = play.dataset.playLabel;
      document.body.classList.remove("playing");
    }
    function step() {
      if (!playing) return;
      var next = document.querySelector("#snapshot [data-next-change]");
      if (!next) return stop();
      // The first step adds one entry to the history; the others replace it, so that Back
      // returns to the date before Play and the address always shows the date on screen.
      if (!firstStep) {
        next.setAttribute("hx-push-url", "false");
        next.setAttribute("hx-replace-url", "true");
      }
      firstStep = false;
      next.click();
    }
    play.addEventListener("click", function () {
      if (playing) return stop();
      playing = true;
      firstStep = true;
      play.textContent = play.dataset.pauseLabel;
      document.body.classList.add("playing");
      if (document.querySelector("#snapshot [data-next-change]")) {
        nextStep = setTimeout(step, 600);
      } else {
        // At the latest change already: start again from the first day (the step follows).
        firstStep = false;
        input.value = 0;
        showSliderDate(slider, input);
        go();
      }
    });

    // Whatever moved the date (the field, a step, Play), the slider follows it, unless the
    // reader is moving the slider right now.
    document.addEventListener("htmx:afterSettle", function (event) {
      var target = event.detail.target;
      var snapshot = document.getElementById("snapshot");
      if (!target || target.id !== "snapshot" || !snapshot) return;
      if (pending === null) {
        input.value = offsetOf(slider, snapshot.dataset.day);
        showSliderDate(slider, input);
      }
      if (playing) {
        clearTimeout(nextStep);
        nextStep = setTimeout(step, 1200);
      }
    });
  }

  document.querySelectorAll("[data-slider]").forEach(setUpSlider);

  // Inside an embed: tell the page around the frame how tall the content is, whenever that
  // changes (fonts, a resized column), for static/stances/embed.js there to size the frame.
  if (document.body.classList.contains("embed") && window.parent !== window) {
    var reportHeight = function () {
      var height = Math.ceil(document.body.getBoundingClientRect().height);
      window.parent.postMessage({ type: "stances:height", height: height }, "*");
    };
    new ResizeObserver(reportHeight).observe(document.body);
    window.addEventListener("load", reportHeight);
  }

  // The embed code on the map page follows the choices of what to show and which colours.
  document.querySelectorAll("[data-embed-code]").forEach(function (code) {
    var choices = document.querySelectorAll("[data-embed-choices]");
    var heights = {};
    code.dataset.embedHeights.split(",").forEach(function (pair) {
      var parts = pair.split(":");
      heights[parts[0]] = parts[1];
    });
    function escaped(text) {
      return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
    }
    function rewrite() {
      var show = document.querySelector("input[name=embed-show]:checked").value;
      var theme = document.querySelector("input[name=embed-theme]:checked").value;
      var query = new URLSearchParams();
      if (code.dataset.embedAsOf) query.set("as_of", code.dataset.embedAsOf);
      if (show !== "outcome") query.set("show", show);
      if (theme !== "auto") query.set("theme", theme);
      var src = code.dataset.embedBase + (query.toString() ? "?" + query.toString() : "");
      code.value = '<iframe src="' + escaped(src) + '" title="' + escaped(code.dataset.embedTitle) +
        '" width="100%" height="' + heights[show] + '" style="border:0" loading="lazy"></iframe>\n' +
        '<script async src="' + escaped(code.dataset.embedScript) + '"></' + 'script>';
    }
    choices.forEach(function (set) {
      set.hidden = false;
      set.addEventListener("change", rewrite);
    });
  });

  // Copy buttons beside the citation, the permalink and the embed code (shown only with script;
  // without it the texts are there to select).
  document.querySelectorAll("[data-copy-buttons]").forEach(function (box) {
    box.hidden = false;
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.dataset.copy);
    var text = source.value !== undefined ? source.value : source.textContent;
    var status = button.parentElement.querySelector("[data-copied]");
    navigator.clipboard.writeText(text).then(
      function () { status.textContent = status.dataset.copied; },
      function () { status.textContent = status.dataset.failed; }
    );
  });

  // The language switcher closes by Escape (focus back on its button, and the panel stays
  // open) and by a click elsewhere.
  document.addEventListener("keydown", function (event) {
    var open = document.querySelector("[data-language-switcher][open]");
    if (event.key !== "Escape" || !open || !open.contains(document.activeElement)) return;
    event.preventDefault();
    open.open = false;
    open.querySelector("summary").focus();
  }, true);
  document.addEventListener("click", function (event) {
    var open = document.querySelector("[data-language-switcher][open]");
    if (open && !open.contains(event.target)) open.open = false;
  });

  // The language switcher keeps the page as it is now: htmx may have moved the date or opened
  // a country since the page came, so each choice takes the address the reader sees.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-language-switcher] a");
    if (!link) return;
    var url = new URL(link.href);
    url.searchParams.set("next", window.location.pathname + window.location.search);
    link.href = url.toString();
  });
})();
