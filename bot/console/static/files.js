// 文件 (admins only): the documents the store holds, with 密级 and 内部 flagged; removal after a confirm().
import { requestJson } from './api.js';
import { clear, el, setStatus } from './dom.js';
import { t } from './texts.js';
import { setUpUpload } from './upload.js';

const $ = (id) => document.getElementById(id);

function flags(doc) {
  const badges = [];
  if (doc.classified) badges.push(el('span', { className: 'badge classified', text: t('flag_classified') }));
  if (doc.marking && doc.marking.includes(t('marking_internal_word'))) {
    badges.push(el('span', { className: 'badge internal', text: t('flag_internal') }));
  }
  if (doc.marking) badges.push(el('span', { className: 'marking', text: doc.marking }));
  return badges;
}

function cell(labelKey, children, className) {
  const node = el('td', { className, attrs: { 'data-label': t(labelKey) } });
  node.append(...children);
  return node;
}

function textCell(labelKey, text, className) {
  return el('td', { text: text ?? '', className, attrs: { 'data-label': t(labelKey) } });
}

async function remove(doc) {
  if (!window.confirm(t('remove_confirm', { title: doc.title }))) return;
  try {
    await requestJson(`/v1/documents/${encodeURIComponent(doc.doc_id)}`, { method: 'DELETE' });
    await refreshFiles();
    setStatus($('files-status'), t('removed', { title: doc.title }));
  } catch (error) {
    setStatus($('files-status'), error.message, true);
  }
}

function documentRow(doc) {
  const button = el('button', { className: 'danger remove', text: t('remove_button'), attrs: { type: 'button' } });
  button.addEventListener('click', () => remove(doc));
  const row = el('tr', { className: doc.classified ? 'classified' : '', attrs: { 'data-doc-id': doc.doc_id } }, [
    textCell('col_title', `《${doc.title}》`, 'title'),
    cell('col_marking', flags(doc), 'flags'),
    textCell('col_source', doc.source, 'source'),
    textCell('col_speaker', doc.speaker, 'speaker'),
    textCell('col_date', doc.date, 'date'),
    textCell('col_ingested', (doc.ingested_at ?? '').replace('T', ' ').slice(0, 16), 'ingested'),
    cell('col_actions', [button], 'actions'),
  ]);
  return row;
}

export async function refreshFiles() {
  const status = $('files-status');
  try {
    const { documents } = await requestJson('/v1/documents');
    const body = $('files-table').tBodies[0];
    clear(body);
    body.append(...documents.map(documentRow));
    $('files-table').hidden = documents.length === 0;
    $('files-classified').hidden = !documents.some((doc) => doc.classified);
    setStatus(status, documents.length ? t('files_count', { count: documents.length }) : t('files_empty'));
  } catch (error) {
    setStatus(status, error.message, true);
  }
}

export function setUpFiles() {
  $('files-refresh').addEventListener('click', refreshFiles);
  $('tab-files').addEventListener('tab-shown', refreshFiles);
  setUpUpload(refreshFiles);
}
