/* Shared Tools, Different Motives: small enhancements on top of Material for MkDocs.
   Clicking a heading's permalink also copies the full address, so a trainer can paste a
   stable link to that heading into a syllabus in one click. Works without it, too.
   Printing opens the self-check answers. */
(function () {
  function announce(link, text) {
    link.setAttribute("data-copied", text);
    window.setTimeout(function () { link.removeAttribute("data-copied"); }, 1500);
  }
  function copyOnClick(event) {
    var link = event.target.closest("a.headerlink");
    if (!link || !navigator.clipboard) { return; }
    var url = new URL(link.getAttribute("href"), window.location.href).href;
    navigator.clipboard.writeText(url).then(
      function () { announce(link, "Link copied"); },
      function () { /* clipboard refused: the link still works as a normal anchor */ }
    );
  }
  document.addEventListener("click", copyOnClick);

  /* Printed handouts include the self-check answers: open every collapsible block for the
     print, and close again the ones that were closed. */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
