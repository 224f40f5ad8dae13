// Quiz attempt page: saves the answers as the learner goes (on every change,
// and a moment after typing stops), through the page's own form with
// go=stay, and counts the server's remaining time down. When it reaches
// zero the answers are saved and the attempt submitted (the server would
// submit it at its deadline anyway: this only spares the learner a wait).
// Progressive enhancement: without it, answers are saved at every page change.
//
// Ordering questions (`ul[data-ordering]`): the items become a list put in
// order by dragging an item's handle (pointer events: mouse, pen, touch) or
// with its "move up" / "move down" buttons; focus stays on the button
// pressed, and a live region says where the item went. Every move writes
// the ranks 1…n into the items' selects (hidden, still in the form) and
// fires their `change`, so the form and the autosave send what they send
// without the script — the selects are the way without it.
"use strict";
const enhanceOrdering = (list) => {
  const items = () => [...list.children].filter((li) => li.matches(".ordering-item"));
  const select = (li) => li.querySelector("select");
  if (items().some((li) => !select(li) || select(li).disabled)) return;
  const { hint, moveUp, moveDown, moved } = list.dataset;
  const name = (li) => li.querySelector("label").innerText.trim();
  const say = (text, li) => text.replaceAll("{item}", name(li));
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("aria-live", "polite");
  list.after(status);
  const shownHint = list.parentElement.querySelector("[data-ordering-hint]");
  if (shownHint && hint) shownHint.textContent = hint;
  // The saved order: by rank, ties in the order shown.
  items()
    .map((li, i) => [Number(select(li).value) || 0, i, li])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .forEach(([, , li]) => list.append(li));
  const button = (li, label, text, by) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "secondary ordering-move";
    b.dataset.move = String(by);
    b.setAttribute("aria-label", say(label, li));
    b.textContent = text;
    return b;
  };
  for (const li of items()) {
    select(li).hidden = true;
    const handle = document.createElement("span");
    handle.className = "ordering-handle";
    handle.setAttribute("aria-hidden", "true");
    handle.textContent = "≡";
    const moves = document.createElement("span");
    moves.className = "ordering-moves";
    moves.append(button(li, moveUp, "↑", -1), button(li, moveDown, "↓", 1));
    li.prepend(handle);
    li.append(moves);
  }
  list.classList.add("ordering-enhanced");
  const edges = () => items().forEach((li, i, all) => {
    li.querySelector("[data-move='-1']").setAttribute("aria-disabled", String(i === 0));
    li.querySelector("[data-move='1']").setAttribute("aria-disabled", String(i === all.length - 1));
  });
  edges();
  const written = (li) => {
    const all = items();
    all.forEach((item, i) => { select(item).value = String(i + 1); });
    edges();
    select(li).dispatchEvent(new Event("change", { bubbles: true }));
    status.textContent = say(moved, li)
      .replaceAll("{position}", String(all.indexOf(li) + 1))
      .replaceAll("{count}", String(all.length));
  };
  list.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-move]");
    if (!b) return;
    const li = b.closest(".ordering-item");
    const all = items();
    const to = all.indexOf(li) + Number(b.dataset.move);
    if (to < 0 || to >= all.length) return;
    if (to < all.indexOf(li)) all[to].before(li); else all[to].after(li);
    b.focus(); // moving the item took the focus away from its button
    written(li);
  });
  // Dragging: the item follows the pointer over the others; dropped, its
  // new place is written as above.
  let dragged = null;
  let from = -1;
  list.addEventListener("pointerdown", (e) => {
    const handle = e.target.closest(".ordering-handle");
    if (!handle || e.button !== 0) return;
    e.preventDefault();
    dragged = handle.closest(".ordering-item");
    from = items().indexOf(dragged);
    dragged.classList.add("ordering-dragged");
    handle.setPointerCapture(e.pointerId);
  });
  list.addEventListener("pointermove", (e) => {
    if (!dragged) return;
    const all = items();
    const over = all.find((li) => {
      const r = li.getBoundingClientRect();
      return li !== dragged && e.clientY >= r.top && e.clientY <= r.bottom;
    });
    if (!over) return;
    const r = over.getBoundingClientRect();
    const below = all.indexOf(over) > all.indexOf(dragged);
    if (below && e.clientY > r.top + r.height / 2) over.after(dragged);
    else if (!below && e.clientY < r.top + r.height / 2) over.before(dragged);
  });
  const drop = () => {
    if (!dragged) return;
    const li = dragged;
    dragged = null;
    li.classList.remove("ordering-dragged");
    if (items().indexOf(li) !== from) written(li);
  };
  list.addEventListener("pointerup", drop);
  list.addEventListener("pointercancel", drop);
};

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("ul[data-ordering]").forEach(enhanceOrdering);
  const form = document.querySelector("form[data-quiz-autosave]");
  if (!form) return;
  const status = document.querySelector("[data-quiz-saved]");
  const post = (url, body) => fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
  const fields = (go) => {
    const data = new URLSearchParams(new FormData(form));
    data.set("go", go);
    return data;
  };
  let pending = null;
  const save = async () => {
    clearTimeout(pending);
    pending = null;
    const reply = await post(form.action, fields("stay")).catch(() => null);
    if (!reply) return;
    // A closed attempt (submitted elsewhere, or its time ran out) answers with its review.
    if (reply.redirected) { window.location.href = reply.url; return; }
    if (reply.ok && status) { status.hidden = false; }
  };
  form.addEventListener("change", save);
  form.addEventListener("input", (e) => {
    if (e.target.matches("input[type=text], input:not([type]), textarea")) {
      clearTimeout(pending);
      pending = setTimeout(save, 2000);
    }
  });

  const clock = document.querySelector("[data-quiz-remaining]");
  if (!clock) return;
  const deadline = Date.now() + Number(clock.dataset.quizRemaining) * 1000;
  const show = (s) => {
    const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, r = s % 60;
    clock.textContent = `${h}:${String(m).padStart(2, "0")}:${String(r).padStart(2, "0")}`;
  };
  const tick = async () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    show(left);
    if (left > 0) { setTimeout(tick, 1000); return; }
    await save();
    const csrf = new URLSearchParams({ csrf: form.elements.csrf.value });
    const done = await post(`${form.action}/submit`, csrf).catch(() => null);
    window.location.href = done && done.redirected ? done.url : `${form.action}/review`;
  };
  tick();
});
