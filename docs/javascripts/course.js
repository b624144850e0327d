/* Shared Tools, Different Motives: small enhancements on top of Material for MkDocs.
   Clicking a heading's permalink also copies the full address, so a trainer can paste a
   stable link to that heading into a syllabus in one click. Works without it, too.
   Printing opens the self-check answers. A citation shows what its source says. */
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

  /* Citations: what the source says there. Hover and keyboard focus show it (CSS alone
     does that too); a click or tap opens it instead of jumping to the reference list, with
     the full reference and a link to it. Escape, a second click or a click elsewhere closes
     it. The box is placed on screen (position: fixed), so neither a scrolling table nor the
     edge of a phone's screen cuts it off. Enter on a focused citation still follows the
     link to the reference list. */
  function fill(item, withLink) {
    var box = item.querySelector(".evidence");
    var link = item.querySelector("a.citation");
    if (!box || !link) { return null; }
    var id = decodeURIComponent(link.hash.slice(1));  /* Material may make hrefs absolute */
    var ref = document.getElementById(id);
    if (ref && !box.querySelector(".evidence-ref")) {
      var span = document.createElement("span");
      span.className = "evidence-ref";
      var apa = ref.cloneNode(true);  /* the reference itself, without how it was read */
      apa.querySelectorAll(".reference-note").forEach(function (note) { note.remove(); });
      span.textContent = apa.textContent.trim();
      box.insertBefore(span, box.firstChild);
    }
    if (withLink && !box.querySelector(".evidence-go")) {
      var go = document.createElement("a");
      go.className = "evidence-go";
      go.href = "#" + id;
      go.tabIndex = -1;
      go.textContent = "Go to the reference list";
      box.appendChild(go);
    }
    return box;
  }
  function place(item) {
    var box = fill(item, false);
    if (!box || window.getComputedStyle(box).display === "none") { return; }
    var r = item.querySelector("a.citation").getBoundingClientRect();
    box.classList.add("placed");
    var width = Math.min(box.offsetWidth, window.innerWidth - 16);
    var left = Math.max(8, Math.min(r.left, window.innerWidth - width - 8));
    var top = r.bottom + 4;
    if (top + box.offsetHeight > window.innerHeight - 8) {
      /* above the citation if it fits there, else as low as the screen allows */
      top = r.top - box.offsetHeight - 4 > 8 ? r.top - box.offsetHeight - 4
        : Math.max(8, window.innerHeight - box.offsetHeight - 8);
    }
    box.style.left = left + "px";
    box.style.top = top + "px";
  }
  function closeAll(except) {
    document.querySelectorAll(".cite-item.open").forEach(function (item) {
      if (item === except) { return; }
      item.classList.remove("open");
      item.querySelector("a.citation").setAttribute("aria-expanded", "false");
    });
  }
  function show(event) {
    var item = event.target.closest && event.target.closest(".cite-item");
    if (item) { item.classList.remove("dismissed"); place(item); }
  }
  document.addEventListener("mouseover", show);
  document.addEventListener("focusin", show);
  /* In the capture phase: Material's instant navigation handles same-page links on <body>
     before a bubbling listener on the document would see the click. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.citation");
    var item = link && link.parentNode.classList.contains("cite-item") ? link.parentNode : null;
    if (item && event.detail > 0) {
      event.preventDefault();
      event.stopPropagation();
      var opening = !item.classList.contains("open");
      closeAll(item);
      item.classList.toggle("open", opening);
      item.classList.toggle("dismissed", !opening);
      link.setAttribute("aria-expanded", String(opening));
      if (opening) { fill(item, true); place(item); }
      return;
    }
    if (!event.target.closest(".evidence")) { closeAll(null); }
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    closeAll(null);
    var item = document.activeElement && document.activeElement.closest && document.activeElement.closest(".cite-item");
    if (item) { item.classList.add("dismissed"); }
  });
  document.addEventListener("mouseout", function (event) {
    var item = event.target.closest && event.target.closest(".cite-item");
    if (item && !item.contains(event.relatedTarget)) { item.classList.remove("dismissed"); }
  });
  var ticking = false;
  window.addEventListener("scroll", function () {
    if (ticking) { return; }
    ticking = true;
    window.requestAnimationFrame(function () {
      ticking = false;
      document.querySelectorAll(".evidence.placed").forEach(function (box) {
        var item = box.parentNode;
        if (item.classList.contains("open") || item.matches(":hover, :focus-within")) { place(item); }
      });
    });
  }, { passive: true });
})();
