/* A table (.table-wrap) or the process chart (.chart-drawing) wider than its box scrolls inside it. Keyboard
   users must be able to scroll it too (WCAG 2.1.1): such a box gets into the tab order, as a named region.
   Re-checked when the window resizes. */
(function () {
  "use strict";
  function name(box) {
    var caption = box.querySelector("caption") || (box.closest("figure") || box).querySelector("figcaption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var node = box.previousElementSibling;
    while (node && !/^H[1-6]$/.test(node.tagName)) { node = node.previousElementSibling; }
    if (!node) {
      var section = box.closest("section, .card");
      node = section && section.querySelector("h1, h2, h3");
    }
    return node ? node.textContent.trim() : document.title;
  }
  function mark() {
    document.querySelectorAll(".table-wrap, .chart-drawing").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name(box));
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSwap", mark);
})();
