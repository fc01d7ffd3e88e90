// Calls to the HTTP API with the access key (Authorization: Bearer); errors become ApiError with a Chinese
// message: the server's own when it sends one ({"error": {"code", "message"}}), else one from the texts.
import { t } from './texts.js';

const KEY_STORAGE = 'luoshi-console-key';

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

let onUnauthorized = () => {};

export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export function accessKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function rememberKey(key) {
  sessionStorage.setItem(KEY_STORAGE, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_STORAGE);
}

export function authHeaders() {
  return { Authorization: `Bearer ${accessKey() ?? ''}` };
}

export function errorMessage(status, body) {
  const message = body && body.error && typeof body.error.message === 'string' ? body.error.message : '';
  if (message) return message;
  if (status === 401) return t('login_expired');
  if (status === 403) return t('error_forbidden');
  return t('error_server', { status });
}

async function send(path, options) {
  let response;
  try {
    response = await fetch(path, { ...options, headers: { ...authHeaders(), ...(options.headers ?? {}) } });
  } catch {
    throw new ApiError(t('error_network'), 0);
  }
  if (response.ok) return response;
  const body = await response.json().catch(() => null);
  if (response.status === 401) onUnauthorized();
  throw new ApiError(errorMessage(response.status, body), response.status);
}

// The JSON of GET path (or of method with a JSON body).
export async function requestJson(path, { method = 'GET', body } = {}) {
  const options = { method };
  if (body !== undefined) {
    options.body = JSON.stringify(body);
    options.headers = { 'Content-Type': 'application/json' };
  }
  const response = await send(path, options);
  return response.json();
}

// A download: its bytes and the file name from Content-Disposition (RFC 5987 filename* first).
export async function requestFile(path, fallbackName) {
  const response = await send(path, { method: 'GET' });
  const blob = await response.blob();
  return { blob, filename: dispositionName(response.headers.get('Content-Disposition')) || fallbackName };
}

export function dispositionName(header) {
  if (!header) return '';
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain filename
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain ? plain[1].trim() : '';
}
