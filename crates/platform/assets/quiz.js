// Quiz attempt page: saves the answers as the learner goes (on every change,
// and a moment after typing stops), through the page's own form with
// go=stay, and counts the server's remaining time down. When it reaches
// zero the answers are saved and the attempt submitted (the server would
// submit it at its deadline anyway: this only spares the learner a wait).
// Progressive enhancement: without it, answers are saved at every page change.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
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
