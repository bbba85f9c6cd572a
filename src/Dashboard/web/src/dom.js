// Small DOM helpers: h() builds elements, text is always set as text (never parsed as HTML).

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element) {
  while (element.firstChild) element.firstChild.remove();
  return element;
}

export function toast(message, kind = 'info', timeout = 8000) {
  const box = document.getElementById('toasts');
  const item = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status', title: 'click to dismiss' }, message);
  item.addEventListener('click', () => item.remove());
  box.append(item);
  if (timeout) setTimeout(() => item.remove(), timeout);
  return item;
}

/**
 * Wraps fetch-then-show: only the answer of the latest call is shown, so an older request answering late (a filter
 * changed meanwhile, a second refresh) never overwrites a newer one.
 */
export function latestOnly(fetch, show) {
  let calls = 0;
  return async (...args) => {
    const call = ++calls;
    const answer = await fetch(...args);
    if (call === calls) show(answer);
  };
}

/** Calls fn at most once per animation frame, with the latest arguments. */
export function throttled(fn) {
  let scheduled = false;
  let latest = [];
  return (...args) => {
    latest = args;
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      fn(...latest);
    });
  };
}

export const fmt = {
  int: (v) => (v === null || v === undefined ? '–' : Math.round(v).toLocaleString('en')),
  num: (v, digits = 3) => (v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toFixed(digits)),
  pct: (v) => (v === null || v === undefined ? '–' : `${(100 * v).toFixed(1)} %`),
  time: (iso) => (iso ? new Date(iso).toLocaleTimeString('en-GB') : '–'),
  dateTime: (iso) => (iso ? new Date(iso).toLocaleString('en-GB') : '–'),
};
