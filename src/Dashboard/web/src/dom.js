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
 * Asks before a change that cannot be undone (stopping a run, cancelling a campaign): a modal dialog with id `id`
 * whose confirming button has id `${id}-button`. Resolves true when that button was pressed.
 */
export async function confirmAction({ id, question, detail, action, keep = 'Cancel' }) {
  const dialog = h('dialog', { class: 'confirm', id },
    h('p', {}, question),
    h('p', { class: 'muted' }, detail),
    h('form', { method: 'dialog' },
      h('button', { value: 'cancel' }, keep), ' ',
      h('button', { value: 'confirm', class: 'danger', id: `${id}-button` }, action)));
  document.body.append(dialog);
  dialog.showModal();
  const answer = await new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true }));
  dialog.remove();
  return answer === 'confirm';
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

/**
 * Polls: calls load `period` ms from now and again `period` ms after each call ends (one in flight at a time, however
 * slow the server is), while more() holds and until the returned stop function is called. A failed call is said in
 * `problem` (an element) and the next one tried all the same.
 */
export function poll(load, period, problem, more = () => true) {
  let stopped = false;
  let timer = null;
  const run = async () => {
    if (stopped) return;
    try {
      await load();
      problem.textContent = '';
    } catch (error) {
      problem.textContent = `not refreshed: ${error.message}`;
    }
    if (more() && !stopped) timer = setTimeout(run, period);
  };
  timer = setTimeout(run, period);
  return () => {
    stopped = true;
    clearTimeout(timer);
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
