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

  // After htmx loads a country's timeline into the side panel, move focus to its heading so
  // keyboard and screen-reader users land on what they asked for.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "panel") {
      var heading = target.querySelector("#panel-heading");
      if (heading) heading.focus();
    }
  });
})();
