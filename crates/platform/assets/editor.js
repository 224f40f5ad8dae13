// The markdown editor: progressive enhancement of every textarea[data-markdown]
// (the plain textarea works without it). A toolbar and shortcuts insert the
// syntax, "Preview" shows the text as the server will render it (POST
// /markdown/preview), and unsaved text is kept in this browser until the form
// is sent, so leaving the page loses nothing.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const words = document.getElementById("md-strings")?.dataset;
  if (!words) return;
  for (const area of document.querySelectorAll("textarea[data-markdown]")) enhance(area, words);
});

// [label key, before, after, placeholder, shortcut key]
const ACTIONS = [
  ["bold", "**", "**", "bold", "b"],
  ["italic", "_", "_", "italic", "i"],
  ["heading", "\n## ", "\n", "Heading", null],
  ["list", "\n- ", "\n", "item", null],
  ["link", "[", "](https://)", "text", "k"],
  ["code", "\n```\n", "\n```\n", "code", null],
  ["quote", "\n> ", "\n", "quote", null],
];

function enhance(area, words) {
  const toolbar = document.createElement("div");
  toolbar.className = "md-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", words.toolbar);
  toolbar.setAttribute("aria-controls", area.id);
  const button = (label, text, onClick) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "secondary small";
    b.textContent = text;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", onClick);
    toolbar.append(b);
    return b;
  };
  const faces = { bold: "B", italic: "I", heading: "H", list: "•", link: "🔗", code: "</>", quote: "❝" };
  for (const [key, before, after, placeholder] of ACTIONS) {
    button(words[key], faces[key], () => wrap(area, before, after, placeholder));
  }
  const images = area.dataset.images && document.getElementById(area.dataset.images);
  if (images) {
    button(words.image, "🖼", () => {
      images.scrollIntoView({ behavior: "smooth" });
      images.querySelector("input[type=file]")?.focus();
    });
  }
  const preview = document.createElement("div");
  preview.className = "prose md-preview card";
  preview.hidden = true;
  preview.setAttribute("aria-live", "polite");
  const toggle = button(words.preview, words.preview, async () => {
    const showing = preview.hidden;
    preview.hidden = !showing;
    area.hidden = showing;
    toggle.textContent = showing ? words.write : words.preview;
    toggle.setAttribute("aria-pressed", String(showing));
    if (showing) preview.innerHTML = await render(area, words);
  });
  toggle.setAttribute("aria-pressed", "false");
  area.before(toolbar);
  area.after(preview);

  area.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey)) return;
    const action = ACTIONS.find((a) => a[4] === event.key.toLowerCase());
    if (!action) return;
    event.preventDefault();
    wrap(area, action[1], action[2], action[3]);
  });
  keepDraft(area, words);
}

// Wraps the selection (or a placeholder) in `before`/`after`.
function wrap(area, before, after, placeholder) {
  const [start, end] = [area.selectionStart, area.selectionEnd];
  const chosen = area.value.slice(start, end) || placeholder;
  area.setRangeText(before + chosen + after, start, end, "end");
  area.setSelectionRange(start + before.length, start + before.length + chosen.length);
  area.focus();
  area.dispatchEvent(new Event("input"));
}

// The server's rendering of the text: sanitised HTML, safe to insert.
async function render(area, words) {
  if (!area.value.trim()) return `<p class="muted">${escape(words.empty)}</p>`;
  const csrf = area.form?.querySelector("input[name=csrf]")?.value ?? "";
  try {
    const reply = await fetch("/markdown/preview", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf },
      body: new URLSearchParams({ text: area.value }),
    });
    if (!reply.ok) throw new Error(String(reply.status));
    return await reply.text();
  } catch {
    return `<p class="field-error">${escape(words.failed)}</p>`;
  }
}

function escape(text) {
  const div = document.createElement("div");
  div.textContent = text;
  return div.innerHTML;
}

// Unsaved text stays in this browser (per page and field) until the form is sent.
function keepDraft(area, words) {
  const key = `lyceum-draft:${location.pathname}:${area.name}`;
  let stored = null;
  try { stored = localStorage.getItem(key); } catch { return; }
  if (stored !== null && stored !== area.value) {
    const note = document.createElement("div");
    note.className = "flash flash-info md-draft";
    note.setAttribute("role", "status");
    note.textContent = words.draft + " ";
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "small";
    restore.textContent = words.restore;
    restore.addEventListener("click", () => { area.value = stored; note.remove(); area.focus(); });
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "secondary small";
    discard.textContent = words.discard;
    discard.addEventListener("click", () => { localStorage.removeItem(key); note.remove(); });
    note.append(restore, " ", discard);
    area.previousElementSibling.before(note);
  }
  area.addEventListener("input", () => {
    try { localStorage.setItem(key, area.value); } catch { /* storage full or disabled: no draft */ }
  });
  area.form?.addEventListener("submit", () => localStorage.removeItem(key));
}
