// The console's entry: login with an access key, the signed-in bar, the tabs, and each tab's module.
import { ApiError, accessKey, forgetKey, rememberKey, requestJson, whenUnauthorized } from './api.js';
import { setStatus } from './dom.js';
import { setUpAsk } from './ask.js';
import { setUpFiles } from './files.js';
import { setUpLedger } from './ledger.js';
import { loadTexts, t } from './texts.js';

const EXPIRED_FLAG = 'luoshi-console-expired';
const $ = (id) => document.getElementById(id);

function showLogin(message = '') {
  $('workspace').hidden = true;
  $('who').hidden = true;
  $('login').hidden = false;
  setStatus($('login-message'), message, Boolean(message));
  $('login-key').focus();
}

function showTab(tab) {
  for (const button of document.querySelectorAll('[role="tab"]')) {
    const selected = button === tab;
    button.setAttribute('aria-selected', String(selected));
    $(button.dataset.panel).hidden = !selected;
  }
  tab.dispatchEvent(new CustomEvent('tab-shown', { bubbles: true }));
}

function enterWorkspace(me) {
  if (me.role !== 'admin') {
    // Readers get no upload or remove controls at all: the admin parts leave the page.
    for (const node of document.querySelectorAll('.admin-only')) node.remove();
  }
  $('who-name').textContent = t('signed_in_as', { name: me.name, role: t(me.role === 'admin' ? 'role_admin' : 'role_reader') });
  $('who').hidden = false;
  $('login').hidden = true;
  $('workspace').hidden = false;
  for (const tab of document.querySelectorAll('[role="tab"]')) tab.addEventListener('click', () => showTab(tab));
  setUpAsk();
  setUpLedger();
  if (me.role === 'admin') setUpFiles();
  showTab($('tab-ask'));
  document.body.dataset.role = me.role;
  whenUnauthorized(() => {
    // The key was withdrawn while the page was open: back to the login, saying why.
    forgetKey();
    sessionStorage.setItem(EXPIRED_FLAG, '1');
    window.location.reload();
  });
}

async function signIn() {
  try {
    enterWorkspace(await requestJson('/v1/me'));
  } catch (error) {
    forgetKey();
    showLogin(error instanceof ApiError && error.status !== 401 ? error.message : t('login_failed'));
  }
}

async function start() {
  await loadTexts();
  $('logout').addEventListener('click', () => {
    forgetKey();
    window.location.reload();
  });
  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = $('login-key').value.trim();
    if (!key) return;
    setStatus($('login-message'), t('login_checking'));
    rememberKey(key);
    $('login-key').value = '';
    await signIn();
  });
  const expired = sessionStorage.getItem(EXPIRED_FLAG);
  sessionStorage.removeItem(EXPIRED_FLAG);
  if (accessKey()) await signIn();
  else showLogin(expired ? t('login_expired') : '');
  document.body.dataset.ready = 'true';
}

start();
