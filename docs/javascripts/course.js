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
    var edition = link.getAttribute("data-edition");
    /* The frozen twin copies its address and stays on the page (open it in a new tab to visit). */
    if (edition) { event.preventDefault(); }
    navigator.clipboard.writeText(url).then(
      function () { announce(link, edition ? "Link to edition " + edition + " copied" : "Link copied"); },
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
  function popover(link) {
    var box = link.nextElementSibling;
    return box && box.classList.contains("evidence") ? box : null;
  }
  function fill(link, withLink) {
    var box = popover(link);
    if (!box) { return null; }
    var id = decodeURIComponent(link.hash.slice(1));  /* Material may make hrefs absolute */
    var ref = document.getElementById(id);
    if (ref && !box.querySelector(".evidence-ref")) {
      var apa = ref.cloneNode(true);  /* the reference itself, without how it was read */
      apa.querySelectorAll(".reference-note").forEach(function (note) { note.remove(); });
      var span = document.createElement("b");
      span.className = "evidence-ref";
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
  function place(link) {
    var box = fill(link, false);
    if (!box || window.getComputedStyle(box).display === "none") { return; }
    var r = link.getBoundingClientRect();
    box.classList.add("placed");
    box.style.maxHeight = "";
    var width = Math.min(box.offsetWidth, window.innerWidth - 16);
    var left = Math.max(8, Math.min(r.left, window.innerWidth - width - 8));
    /* Below the citation, or above it when there is more room there; never over it, so a
       tap always reaches the link. A box taller than the room scrolls. */
    var below = window.innerHeight - r.bottom - 8;
    var above = r.top - 8;
    var room = box.offsetHeight <= below || below >= above ? below : above;
    if (box.offsetHeight > room) { box.style.maxHeight = Math.max(room, 48) + "px"; }
    /* A box that scrolls takes keyboard focus, so it can be scrolled without a pointer. */
    if (box.scrollHeight > box.clientHeight + 1) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "What the source says");
    } else if (box.hasAttribute("tabindex")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
    var top = room === below ? r.bottom : r.top - Math.min(box.offsetHeight, room);
    box.style.left = left + "px";
    box.style.top = top + "px";
  }
  function closeAll(except) {
    document.querySelectorAll("a.citation.open").forEach(function (link) {
      if (link === except) { return; }
      link.classList.remove("open");
      link.setAttribute("aria-expanded", "false");
    });
  }
  function cited(target) {
    var box = target.closest && target.closest(".evidence");
    var link = box ? box.previousElementSibling : target.closest && target.closest("a.citation");
    return link && link.matches("a.citation") && popover(link) ? link : null;
  }
  function show(event) {
    var link = cited(event.target);
    if (link) { link.classList.remove("dismissed"); place(link); }
  }
  document.addEventListener("mouseover", show);
  document.addEventListener("focusin", show);
  /* In the capture phase: Material's instant navigation handles same-page links on <body>
     before a bubbling listener on the document would see the click. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.citation");
    if (link && popover(link) && event.detail > 0) {
      event.preventDefault();
      event.stopPropagation();
      var opening = !link.classList.contains("open");
      closeAll(link);
      link.classList.toggle("open", opening);
      link.classList.toggle("dismissed", !opening);
      link.setAttribute("aria-expanded", String(opening));
      if (opening) { fill(link, true); place(link); }
      return;
    }
    if (!event.target.closest(".evidence")) { closeAll(null); }
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    closeAll(null);
    var link = document.activeElement && document.activeElement.matches && document.activeElement.matches("a.citation")
      ? document.activeElement : null;
    if (link) { link.classList.add("dismissed"); }
  });
  document.addEventListener("mouseout", function (event) {
    var link = cited(event.target);
    var into = event.relatedTarget && cited(event.relatedTarget);
    if (link && into !== link) { link.classList.remove("dismissed"); }
  });
  var ticking = false;
  window.addEventListener("scroll", function () {
    if (ticking) { return; }
    ticking = true;
    window.requestAnimationFrame(function () {
      ticking = false;
      document.querySelectorAll(".evidence.placed").forEach(function (box) {
        var link = box.previousElementSibling;
        if (link && link.matches("a.citation.open, a.citation:hover, a.citation:focus") || box.matches(":hover")) {
          place(link);
        }
      });
    });
  }, { passive: true });

  /* Knowledge checks (scripts/quiz.py): "Check my answer" marks the choices and says why, in a
     live region that screen readers announce. Nothing is stored and nothing is sent. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".quiz-check");
    if (!button) { return; }
    var form = button.closest(".quiz-question");
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input"));
    var answers = form.querySelectorAll(".quiz-answer li");
    var result = form.querySelector(".quiz-result");
    result.textContent = "";
    var chosen = inputs.filter(function (input) { return input.checked; });
    if (!chosen.length) {
      result.textContent = "Choose an answer first.";
      return;
    }
    var right = inputs.every(function (input) { return input.checked === (input.getAttribute("data-correct") === "true"); });
    inputs.forEach(function (input) {
      var option = input.parentNode;
      option.classList.remove("quiz-right", "quiz-wrong");
      if (input.checked) { option.classList.add(input.getAttribute("data-correct") === "true" ? "quiz-right" : "quiz-wrong"); }
    });
    function line(text, className) {
      var p = document.createElement("p");
      if (className) { p.className = className; }
      p.textContent = text;
      result.appendChild(p);
    }
    var missed = form.getAttribute("data-kind") === "multiple" && !right &&
      chosen.every(function (input) { return input.getAttribute("data-correct") === "true"; });
    line(right ? "Correct." : missed ? "Partly: a right answer is missing." : "Not quite.",
      right ? "quiz-verdict quiz-verdict-right" : "quiz-verdict quiz-verdict-wrong");
    chosen.forEach(function (input) { line(answers[Number(input.value)].textContent); });
    var again = form.querySelector(".quiz-answer p a");
    if (again) {
      var p = document.createElement("p");
      p.appendChild(document.createTextNode("Read again: "));
      p.appendChild(again.cloneNode(true));
      result.appendChild(p);
    }
  });
})();
