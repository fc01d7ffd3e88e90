// 提问: the question box, the answers of this page's conversation (newest first) with numbered sources,
// each of which opens the paragraph around its quote (GET /v1/documents/{id}/paragraph).
import { requestJson } from './api.js';
import { clear, el, setStatus } from './dom.js';
import { t } from './texts.js';

const $ = (id) => document.getElementById(id);

// A conversation id for follow-ups, new for each page load or 新对话 (crypto.randomUUID needs https).
function newConversationId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'console-' + Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

let conversationId = newConversationId();

function sourceLabel(citation, number) {
  return [
    el('span', { className: 'source-number', text: `[${number}]` }),
    el('span', { className: 'source-title', text: `《${citation.title}》` }),
    citation.section ? el('span', { className: 'source-section', text: citation.section }) : null,
    el('span', { className: 'source-quote', text: `“${citation.quote}”` }),
  ];
}

async function toggleParagraph(button, box, citation) {
  const opening = box.hidden;
  box.hidden = !opening;
  button.setAttribute('aria-expanded', String(opening));
  button.title = t(opening ? 'source_collapse' : 'source_expand');
  if (!opening || box.dataset.loaded) return;
  setStatus(box, t('source_loading'));
  try {
    const query = new URLSearchParams({ start: citation.start, end: citation.end });
    const paragraph = await requestJson(`/v1/documents/${encodeURIComponent(citation.doc_id)}/paragraph?${query}`);
    setStatus(box, paragraph.text);
    box.dataset.loaded = 'true';
  } catch (error) {
    setStatus(box, error.message, true);
  }
}

function sourceItem(citation, number) {
  const box = el('blockquote', { className: 'paragraph', attrs: { hidden: '' } });
  const button = el(
    'button',
    { className: 'source-toggle', attrs: { type: 'button', 'aria-expanded': 'false', title: t('source_expand') } },
    sourceLabel(citation, number),
  );
  button.addEventListener('click', () => toggleParagraph(button, box, citation));
  return el('li', { className: 'source' }, [button, box]);
}

// One answer as the API gives it (Answer.to_json_dict): a refusal (found=false) is shown plainly.
export function answerCard(answer) {
  const card = el('article', { className: answer.found ? 'card answer' : 'card answer refusal' });
  card.append(el('p', { className: 'question', text: `${t('you_asked')}${answer.question}` }));
  if (!answer.found) card.append(el('span', { className: 'badge muted', text: t('answer_not_found') }));
  card.append(el('p', { className: 'answer-text', text: answer.answer }));
  if (answer.citations.length) {
    card.append(el('h3', { text: t('sources_heading') }));
    card.append(el('ol', { className: 'sources' }, answer.citations.map((citation, i) => sourceItem(citation, i + 1))));
  }
  return card;
}

async function ask(event) {
  event.preventDefault();
  const input = $('ask-input');
  const question = input.value.trim();
  if (!question) {
    setStatus($('ask-status'), t('ask_empty'), true);
    return;
  }
  const button = $('ask-button');
  button.disabled = true;
  setStatus($('ask-status'), t('ask_waiting'));
  try {
    const answer = await requestJson('/v1/ask', {
      method: 'POST',
      body: { question, conversation_id: conversationId },
    });
    setStatus($('ask-status'), '');
    $('answers').prepend(answerCard(answer));
    input.value = '';
  } catch (error) {
    setStatus($('ask-status'), error.message, true);
  } finally {
    button.disabled = false;
  }
}

export function setUpAsk() {
  $('ask-form').addEventListener('submit', ask);
  $('ask-input').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $('ask-form').requestSubmit();
    }
  });
  $('ask-new').addEventListener('click', () => {
    conversationId = newConversationId();
    clear($('answers'));
    setStatus($('ask-status'), '');
    $('ask-input').focus();
  });
}
