// Stances embeds: each <iframe> showing a page of the site this script comes from takes the
// height that page reports, so the whole map, legend and outcome show with no inner scroll.
// The snippet includes it once per page with `async`; without it the frame keeps its height.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src).origin;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || data.type !== "stances:height") return;
    var height = Math.ceil(Number(data.height));
    if (!(height > 0 && height < 20000)) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) frames[i].style.height = height + "px";
    }
  });
})();
