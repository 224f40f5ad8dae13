// Progressive enhancement only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Ask before destructive actions (forms marked data-confirm).
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // Select-all on one-time secrets (new API token).
  for (const el of document.querySelectorAll("[data-select-on-focus]")) {
    el.addEventListener("focus", () => el.select());
  }
});
