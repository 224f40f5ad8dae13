// Lesson page: saves a video's playback position every ~15 s while it plays
// and when it pauses, through PUT /api/v1/progress/lessons/{id} with the CSRF
// header, and resumes at the saved position. A video played to the end marks
// the lesson complete (and its position back to the start, so it does not
// reopen at the end). Progressive enhancement: without it the video plays from
// the start and the learner marks the lesson complete with the button.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const video of document.querySelectorAll("video[data-progress-url]")) {
    const url = video.dataset.progressUrl;
    const csrf = video.dataset.csrf;
    const start = Number(video.dataset.position || 0);
    let lastSaved = start;
    const put = (body) => fetch(url, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
    });
    if (start > 0) {
      video.addEventListener("loadedmetadata", () => {
        // A position in the last seconds is a video watched to its end: start over.
        if (start < video.duration - 5) video.currentTime = start;
      }, { once: true });
    }
    const save = () => {
      const position = Math.floor(video.currentTime);
      if (position === lastSaved || video.ended) return;
      lastSaved = position;
      put({ position_seconds: position }).catch(() => { lastSaved = -1; });
    };
    let timer = null;
    video.addEventListener("play", () => { timer = timer || setInterval(save, 15000); });
    video.addEventListener("pause", () => { clearInterval(timer); timer = null; save(); });
    video.addEventListener("ended", async () => {
      clearInterval(timer);
      timer = null;
      lastSaved = 0;
      const saved = await put({ completed: true, position_seconds: 0 }).catch(() => null);
      if (!saved || !saved.ok) return;
      for (const el of document.querySelectorAll("[data-until-complete]")) el.hidden = true;
      for (const el of document.querySelectorAll("[data-once-complete]")) el.hidden = false;
    });
    window.addEventListener("pagehide", save);
  }
});
