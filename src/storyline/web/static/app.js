// storyline's only script: small conveniences; every page works without it.
"use strict";

// "/" focuses the search box (unless typing in a field already).
document.addEventListener("keydown", (event) => {
  const field = document.activeElement && ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
  if (event.key === "/" && !field) {
    const box = document.getElementById("search-q") || document.querySelector("header input[type=search]");
    if (box) { event.preventDefault(); box.focus(); }
  }
});

// Following a link to a quote or a span flashes the characters it points at.
function flashTarget() {
  if (!location.hash) { return; }
  const anchor = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (!anchor || !anchor.classList.contains("anchor")) { return; }
  let node = anchor.nextElementSibling;
  for (let i = 0; node && i < 40 && !node.classList.contains("anchor"); i += 1, node = node.nextElementSibling) {
    node.classList.remove("flash");
    void node.offsetWidth; // restart the animation
    node.classList.add("flash");
  }
}
window.addEventListener("hashchange", flashTarget);
document.addEventListener("DOMContentLoaded", flashTarget);
