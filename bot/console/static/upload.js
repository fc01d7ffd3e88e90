// Uploads: chosen files or a whole folder, one POST /v1/documents per file (in turn: the server ingests one
// at a time anyway), with XMLHttpRequest's upload progress per file and overall, and each file's result.
import { authHeaders, errorMessage } from './api.js';
import { el, setStatus } from './dom.js';
import { t } from './texts.js';

const $ = (id) => document.getElementById(id);

// POST one file; resolves to {status, body} (body null if not JSON), calls onProgress(sentBytes).
function sendFile(file, onProgress, onSent) {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/v1/documents');
    for (const [name, value] of Object.entries(authHeaders())) request.setRequestHeader(name, value);
    request.upload.addEventListener('progress', (event) => onProgress(event.loaded));
    request.upload.addEventListener('load', onSent);
    request.addEventListener('load', () => {
      let body = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // not JSON: the message comes from the status
      }
      resolve({ status: request.status, body });
    });
    request.addEventListener('error', () => resolve({ status: 0, body: null }));
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

function fileItem(file) {
  const bar = el('progress', { attrs: { max: String(file.size || 1), value: '0' } });
  const state = el('span', { className: 'upload-state', text: t('upload_waiting') });
  const item = el('li', { className: 'upload-item' }, [
    el('span', { className: 'upload-name', text: file.webkitRelativePath || file.name }),
    bar,
    state,
  ]);
  return { item, bar, state };
}

function resultText(status, body) {
  if (status === 201 && body) {
    return t('upload_ok_detail', { title: body.title, sections: body.section_count, directives: body.directive_count });
  }
  return status === 0 ? t('error_network') : errorMessage(status, body);
}

async function uploadAll(files, refresh) {
  if (!files.length) return;
  const list = $('upload-list');
  const overallBar = $('upload-overall-bar');
  const overallText = $('upload-overall-text');
  const totalBytes = files.reduce((sum, file) => sum + (file.size || 1), 0);
  const entries = files.map((file) => ({ file, ...fileItem(file) }));
  list.replaceChildren(...entries.map((entry) => entry.item));
  $('upload-overall').hidden = false;
  overallBar.max = totalBytes;
  overallBar.value = 0;
  let doneBytes = 0;
  let ok = 0;
  for (const [index, entry] of entries.entries()) {
    overallText.textContent = t('upload_progress', { done: index, total: files.length });
    setStatus(entry.state, t('upload_sending'));
    entry.item.classList.add('sending');
    const { status, body } = await sendFile(
      entry.file,
      (loaded) => {
        entry.bar.value = Math.min(loaded, entry.bar.max);
        overallBar.value = doneBytes + Math.min(loaded, entry.file.size || 1);
      },
      () => setStatus(entry.state, t('upload_processing')),
    );
    doneBytes += entry.file.size || 1;
    overallBar.value = doneBytes;
    entry.bar.value = entry.bar.max;
    entry.item.classList.remove('sending');
    entry.item.classList.add(status === 201 ? 'ok' : 'failed');
    if (status === 201) ok += 1;
    setStatus(entry.state, resultText(status, body), status !== 201);
  }
  overallText.textContent = t('upload_done', { ok, failed: files.length - ok });
  await refresh();
}

export function setUpUpload(refresh) {
  const inputs = ['upload-files', 'upload-folder'].map((id) => $(id));
  for (const input of inputs) {
    input.addEventListener('change', async () => {
      const files = Array.from(input.files ?? []);
      for (const each of inputs) each.disabled = true; // one upload at a time: it owns the progress list
      try {
        await uploadAll(files, refresh);
      } finally {
        for (const each of inputs) {
          each.value = '';
          each.disabled = false;
        }
      }
    });
  }
}
