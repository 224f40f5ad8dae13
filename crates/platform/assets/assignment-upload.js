// Assignment page: a file upload shows its progress and says at once why a
// file is refused. Progressive enhancement: without this script the form
// posts and the page comes back with its message, as it does anyway.
// The upload is the form's own POST, sent with XMLHttpRequest (whose upload
// events give the progress) and marked `x-lyceum-upload`: the server answers
// 204 with the page's message set (the page reloads to show it and the
// file), or the refusal as text in the page's language, announced by the
// form's alert region. A 413 comes back as the site's error page (the body
// limit answers so too): the form's own sentence is shown for it.
"use strict";
document.querySelectorAll("form[data-upload-progress]").forEach((form) => {
  const box = form.querySelector("[data-progress-box]");
  const bar = box && box.querySelector("progress");
  const alert = form.querySelector("[data-upload-alert]");
  const button = form.querySelector("button[type=submit]");
  if (!bar || !alert || !window.FormData) return;
  const settle = (message) => {
    box.hidden = true;
    button.disabled = false;
    alert.textContent = message;
  };
  const refusal = (xhr) => {
    const type = xhr.getResponseHeader("content-type") || "";
    if (type.startsWith("text/plain") && xhr.responseText) return xhr.responseText;
    return (xhr.status === 413 && form.dataset.tooLarge) || form.dataset.failed;
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("x-lyceum-upload", "1");
    xhr.setRequestHeader("x-csrf-token", form.querySelector("input[name=csrf]").value);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status === 204) {
        bar.value = 100;
        window.location.reload();
      } else {
        settle(refusal(xhr));
      }
    });
    xhr.addEventListener("error", () => settle(form.dataset.failed));
    alert.textContent = "";
    bar.value = 0;
    box.hidden = false;
    button.disabled = true;
    xhr.send(new FormData(form));
  });
});
