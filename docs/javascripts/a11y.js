/* Shared Tools, Different Motives: accessible names and keyboard access for the parts of
   Material for MkDocs that its JavaScript builds (checked by axe in tests/test_browser.py).
   - The search dialog gets a name (Lighthouse and pa11y: aria-dialog-name).
   - A table too wide for the screen scrolls sideways inside a wrapper; keyboard users can
     only scroll it if it can take focus (axe: scrollable-region-focusable). */
(function () {
  function fix() {
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.hasAttribute("aria-label")) { search.setAttribute("aria-label", "Search"); }
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table (scrolls sideways)");
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  var timer = 0;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fix, 200);
  });
  if (window.document$) { window.document$.subscribe(fix); } else { document.addEventListener("DOMContentLoaded", fix); }
})();
