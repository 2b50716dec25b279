// The NHS.UK components, then what scripts add to the pages: sending a return with a progress bar.
// Every task works without this file; the form posts and the submission's page refreshes itself.
import { initAll } from '/nhsuk-frontend/nhsuk-frontend.min.js';

initAll();

const form = document.getElementById('send-form');
if (form) {
  const panel = document.getElementById('progress');
  const upload = document.getElementById('upload-progress');
  const check = document.getElementById('check-progress');
  const checkLabel = document.getElementById('check-label');
  const words = document.getElementById('progress-words');
  const say = (text) => { words.textContent = text; };

  form.addEventListener('submit', (event) => {
    const file = document.getElementById('file').files[0];
    if (!file) return; // the server says what is missing
    event.preventDefault();
    const sending = event.submitter?.dataset.action !== 'check';
    const request = new XMLHttpRequest();
    request.open('POST', event.submitter?.formAction || form.action);
    if (sending) request.setRequestHeader('Accept', 'application/json');
    request.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return;
      upload.value = Math.round((100 * e.loaded) / e.total);
      say(`Uploaded ${(e.loaded / 1e6).toFixed(1)} MB of ${(e.total / 1e6).toFixed(1)} MB`);
    });
    request.addEventListener('load', () => {
      const json = request.getResponseHeader('Content-Type')?.includes('application/json');
      if (sending && request.status === 200 && json) return follow(JSON.parse(request.responseText));
      // A check's answer, or a refusal, is a page of its own: show it in place.
      const page = new DOMParser().parseFromString(request.responseText, 'text/html');
      document.querySelector('main').replaceWith(page.querySelector('main'));
      document.title = page.title;
      initAll(); // an error summary takes the focus itself
      window.scrollTo(0, 0);
    });
    request.addEventListener('error', () => say('The file could not be sent. Check your connection and try again.'));
    panel.hidden = false;
    document.getElementById('progress-heading').textContent = sending ? 'Sending your return' : 'Checking your return';
    document.getElementById('progress-heading').focus();
    if (!sending) { checkLabel.hidden = false; checkLabel.textContent = 'Checking the rows once the file is uploaded'; }
    request.send(new FormData(form));
  });

  // After the upload: how many rows have been checked, until the return is decided.
  function follow(submission) {
    upload.value = 100;
    checkLabel.hidden = false;
    check.hidden = false;
    const poll = async () => {
      const response = await fetch(submission.progress, { headers: { Accept: 'application/json' } });
      const progress = await response.json();
      if (progress.rows_total) {
        check.max = progress.rows_total;
        check.value = progress.rows_read ?? 0;
      }
      say(progress.verdict);
      if (progress.decided) {
        window.location.assign(submission.url);
      } else {
        setTimeout(poll, 1000);
      }
    };
    poll();
  }
}

// The board paper's print button: printing works from the browser's menu too, so the button appears only with scripts.
for (const button of document.querySelectorAll('.ips-print')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
