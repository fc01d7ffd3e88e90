// Building the page from API data: elements and textContent only, never innerHTML.

// el('td', { text: '县公安局', className: 'lead', attrs: { 'data-label': '牵头' } }, [children...])
export function el(tag, { text, className, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

export function clear(node) {
  node.replaceChildren();
}

export function setStatus(node, text, isError = false) {
  node.textContent = text ?? '';
  node.classList.toggle('error', Boolean(isError));
}
