// A wide table scrolls sideways inside .table-responsive on a phone. Keyboard users can
// only scroll what they can focus (WCAG 2.1.1), so a region that actually overflows is
// made focusable and named after its table's caption; one that fits stays out of the
// tab order (a tab stop that does nothing is its own nuisance).
(function () {
  "use strict";
  function name(region) {
    var caption = region.querySelector("caption");
    var text = caption ? caption.textContent.trim() : "";
    return text ? "Table, scrolls sideways: " + text : "Table, scrolls sideways";
  }
  function mark() {
    document.querySelectorAll(".table-responsive").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
        if (!region.hasAttribute("aria-label")) {
          region.setAttribute("aria-label", name(region));
        }
      } else if (region.getAttribute("tabindex") === "0") {
        region.removeAttribute("tabindex");
        region.removeAttribute("role");
        region.removeAttribute("aria-label");
      }
    });
  }
  mark();
  var timer;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(mark, 100);
  });
  // Tables that htmx swaps in (the academy filter) are marked as they arrive.
  document.addEventListener("htmx:afterSettle", mark);
})();
