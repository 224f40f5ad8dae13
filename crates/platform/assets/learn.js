// Lesson page: saves a video's playback position every ~15 s while it plays
// and when it pauses or ends, through PUT /api/v1/progress/lessons/{id} with
// the CSRF header, and resumes at the saved position. Progressive
// enhancement: without it the video plays from the start and nothing is saved.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const video of document.querySelectorAll("video[data-progress-url]")) {
    const url = video.dataset.progressUrl;
    const csrf = video.dataset.csrf;
    const start = Number(video.dataset.position || 0);
    let lastSaved = start;
    if (start > 0) {
      video.addEventListener("loadedmetadata", () => {
        if (start < video.duration) video.currentTime = start;
      }, { once: true });
    }
    const save = () => {
      const position = Math.floor(video.currentTime);
      if (position === lastSaved) return;
      lastSaved = position;
      fetch(url, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ position_seconds: position }),
      }).catch(() => { lastSaved = -1; });
    };
    let timer = null;
    video.addEventListener("play", () => { timer = timer || setInterval(save, 15000); });
    video.addEventListener("pause", () => { clearInterval(timer); timer = null; save(); });
    video.addEventListener("ended", save);
    window.addEventListener("pagehide", save);
  }
});
