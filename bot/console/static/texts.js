// The console's Chinese texts, served by the server from prompts/console_texts.py (none are written here).
let texts = {};

export async function loadTexts() {
  const response = await fetch('/console/texts.json', { cache: 'no-cache' });
  texts = await response.json();
}

// t('upload_progress', { done: 1, total: 3 }) -> '已上传 1/3 个文件'
export function t(key, values = {}) {
  const template = texts[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
