// 台账: the 督办台账 filtered by lead unit (牵头), document and deadline, as a table (cards on a phone), and
// its .xlsx download: fetched with the access key, then saved from a Blob (a plain link cannot carry the key).
import { requestFile, requestJson } from './api.js';
import { clear, el, setStatus } from './dom.js';
import { t } from './texts.js';

const $ = (id) => document.getElementById(id);
const JOINER = '；';

function filterQuery(format) {
  const query = new URLSearchParams();
  const lead = $('ledger-lead').value.trim();
  const doc = $('ledger-doc').value;
  const deadline = $('ledger-deadline').value.trim();
  if (lead) query.set('lead', lead);
  if (doc) query.set('doc', doc);
  if (deadline) query.set('deadline', deadline);
  query.set('format', format);
  return query;
}

function cell(labelKey, text, className) {
  return el('td', { text, className, attrs: { 'data-label': t(labelKey) } });
}

function taskRow(task) {
  return el('tr', {}, [
    cell('col_number', task.number, 'number'),
    cell('col_task', task.task, 'task'),
    cell('col_lead', task.lead.join(JOINER), 'lead'),
    cell('col_responsible', task.responsible.join(JOINER), 'responsible'),
    cell('col_cooperating', task.cooperating.join(JOINER), 'cooperating'),
    cell('col_deadline', task.deadline ?? '', 'deadline'),
    cell('col_document', `《${task.title}》`, 'document'),
    cell('col_section', task.section ?? '', 'section'),
  ]);
}

async function search(event) {
  event?.preventDefault();
  const status = $('ledger-status');
  const body = $('ledger-table').tBodies[0];
  setStatus(status, t('ledger_loading'));
  try {
    const result = await requestJson(`/v1/tasks?${filterQuery('json')}`);
    clear(body);
    body.append(...result.tasks.map(taskRow));
    $('ledger-table').hidden = result.count === 0;
    setStatus(status, result.count ? t('ledger_count', { count: result.count }) : t('ledger_empty'));
  } catch (error) {
    setStatus(status, error.message, true);
  }
}

async function download() {
  const status = $('ledger-status');
  const button = $('ledger-download');
  button.disabled = true;
  const before = status.textContent;
  setStatus(status, t('ledger_downloading'));
  try {
    const { blob, filename } = await requestFile(`/v1/tasks?${filterQuery('xlsx')}`, t('ledger_filename'));
    const url = URL.createObjectURL(blob);
    const link = el('a', { attrs: { href: url, download: filename } });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setStatus(status, before);
  } catch (error) {
    setStatus(status, error.message, true);
  } finally {
    button.disabled = false;
  }
}

// 《title》 and its date, if it has one, as the ledger's .xlsx names a document.
function documentLabel(doc) {
  return doc.date ? `《${doc.title}》（${doc.date}）` : `《${doc.title}》`;
}

// The document choices: every document the store holds, newest first.
async function loadDocuments() {
  const select = $('ledger-doc');
  const chosen = select.value;
  try {
    const { documents } = await requestJson('/v1/documents');
    const first = select.options[0];
    clear(select);
    select.append(first, ...documents.map((doc) => el('option', { text: documentLabel(doc), attrs: { value: doc.doc_id } })));
    select.value = documents.some((doc) => doc.doc_id === chosen) ? chosen : '';
  } catch (error) {
    setStatus($('ledger-status'), error.message, true);
  }
}

export function setUpLedger() {
  $('ledger-form').addEventListener('submit', search);
  $('ledger-download').addEventListener('click', download);
  $('tab-ledger').addEventListener('tab-shown', async () => {
    await loadDocuments();
    await search();
  });
}
