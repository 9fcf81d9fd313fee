// meldpunt-desk: the one script, from the desk's own origin. It only shows the
// import's progress; every form works without it.
'use strict';
(function () {
  const form = document.getElementById('import-form');
  if (!form) return;
  const box = document.getElementById('import-voortgang');
  const bar = document.getElementById('import-balk');
  const step = document.getElementById('import-stap');
  form.addEventListener('submit', function (ev) {
    if (!window.XMLHttpRequest || !window.FormData) return;
    ev.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    box.hidden = false;
    const xhr = new XMLHttpRequest();
    let polling = null;
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 50);
    });
    xhr.upload.addEventListener('load', function () {
      polling = setInterval(function () {
        fetch('/postvak/voortgang', { credentials: 'same-origin' })
          .then(function (r) { return r.json(); })
          .then(function (p) {
            if (p.total > 0) {
              bar.value = 50 + Math.round((p.done / p.total) * 50);
              step.textContent = step.dataset.base + ' ' + p.done + ' / ' + p.total;
            }
          })
          .catch(function () {});
      }, 300);
    });
    step.dataset.base = step.textContent;
    xhr.addEventListener('loadend', function () {
      if (polling) clearInterval(polling);
      if (xhr.status === 200 && xhr.responseURL && new URL(xhr.responseURL).pathname !== new URL(form.action).pathname) {
        window.location.assign(xhr.responseURL);
      } else {
        // An error page: show it as the page (it is the desk's own HTML).
        document.open();
        document.write(xhr.responseText);
        document.close();
      }
    });
    xhr.send(new FormData(form));
  });
})();
