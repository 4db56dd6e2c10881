/* qissa: click-to-load embeds. Until a reader presses the play button, an embed is a
   placeholder drawn by CSS with a plain link to the original: nothing loads from the
   provider. The button (hidden when this script cannot run) puts the provider's own iframe
   player, from data-embed-src, in the placeholder's place. No third-party script. */
(function () {
  "use strict";
  var allow = "autoplay; encrypted-media; picture-in-picture; fullscreen; clipboard-write";
  var sandbox = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation";
  document.querySelectorAll("figure.embed[data-embed-src]").forEach(function (figure) {
    var button = figure.querySelector(".embed-play");
    var placeholder = figure.querySelector(".embed-placeholder");
    var src = figure.getAttribute("data-embed-src") || "";
    if (!button || !placeholder || src.indexOf("https://") !== 0) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = src;
      frame.title = figure.getAttribute("data-embed-title") || "";
      frame.className = "embed-frame";
      frame.setAttribute("loading", "lazy");
      frame.setAttribute("allow", allow);
      frame.setAttribute("allowfullscreen", "");
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      frame.setAttribute("sandbox", sandbox);
      placeholder.replaceWith(frame);
      figure.classList.add("embed-loaded");
      frame.focus();
    });
  });
})();
