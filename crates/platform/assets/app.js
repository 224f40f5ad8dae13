// Progressive enhancement only: every page works without this file.
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  // Ask before destructive actions (forms marked data-confirm).
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // On a phone the header's links fold behind a menu button (without this
  // script they simply wrap, all visible).
  const toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
    });
  }
  // Tables marked "stack" become one card per row on a phone; each cell is
  // labelled with its column's heading (without this script they scroll sideways).
  for (const table of document.querySelectorAll("table.stack")) {
    const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, i) => { if (headings[i]) cell.dataset.label = headings[i]; });
    }
  }
  // Parts of a page that belong to some choices of a select (data-for-kind,
  // space-separated) show only while one of them is chosen; [data-kind-copy]
  // fields carry the choice into another form (a lesson's upload).
  const kind = document.querySelector("select#kind");
  if (kind) {
    const sync = () => {
      for (const part of document.querySelectorAll("[data-for-kind]")) {
        part.hidden = !part.dataset.forKind.split(" ").includes(kind.value);
      }
      for (const copy of document.querySelectorAll("[data-kind-copy]")) copy.value = kind.value;
    };
    kind.addEventListener("change", sync);
  }
  // Copy a field's text ("Copy link") and print the page, where marked.
  for (const button of document.querySelectorAll("[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    if (!field || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(field.value);
      button.textContent = button.dataset.copied;
    });
  }
  // Insert a field's text (an image's markdown) at the cursor of a textarea.
  for (const button of document.querySelectorAll("[data-insert]")) {
    const source = document.getElementById(button.dataset.insert);
    const target = document.getElementById(button.dataset.into);
    if (!source || !target) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const at = target.selectionStart ?? target.value.length;
      target.setRangeText(`\n${source.value}\n`, at, target.selectionEnd ?? at, "end");
      target.focus();
    });
  }
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  // A code block that scrolls sideways (a long line on a phone) takes the
  // keyboard focus, so it can be scrolled without a mouse.
  const scrollers = () => {
    for (const pre of document.querySelectorAll("pre.hl-code")) {
      if (pre.scrollWidth > pre.clientWidth) pre.tabIndex = 0;
      else pre.removeAttribute("tabindex");
    }
  };
  scrollers();
  window.addEventListener("resize", scrollers);
  // Select-all on one-time secrets (new API token).
  for (const el of document.querySelectorAll("[data-select-on-focus]")) {
    el.addEventListener("focus", () => el.select());
  }
});
