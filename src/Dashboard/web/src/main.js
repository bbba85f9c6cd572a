// The dashboard's entry point: finds out who is looking (or asks them to log in), opens the live connection, and
// routes the page's paths (/, /runs/{id}, /campaigns, /campaigns/{id}, /compare, /alerts, /login) to their views.
import { api, ApiError } from './api.js';
import { clear, h, toast } from './dom.js';
import { Live } from './live.js';
import { runsView } from './runsList.js';
import { runView } from './runView.js';
import { campaignsView } from './campaignsList.js';
import { campaignView } from './campaignView.js';
import { compareView } from './compareView.js';
import { alertsView } from './alertsView.js';
import { loginView } from './loginView.js';

const view = document.getElementById('view');
const connection = document.getElementById('connection');
const who = document.getElementById('who');
const logout = document.getElementById('logout');
const alertCount = document.getElementById('alert-count');
let context = null;
let dispose = null;
let rendering = 0;

function setConnection(state) {
  connection.dataset.state = state;
  connection.textContent = { live: 'live', reconnecting: 'reconnecting…', closed: 'disconnected', connecting: 'connecting…' }[state] ?? state;
}

async function render() {
  const ticket = ++rendering;
  if (dispose) {
    const previous = dispose;
    dispose = null;
    await previous();
  }
  const path = location.pathname;
  for (const a of document.querySelectorAll('header nav a')) {
    a.classList.toggle('active', a.getAttribute('href') === path || (path.startsWith('/runs/') && a.dataset.view === 'runs')
      || (path.startsWith('/campaigns/') && a.dataset.view === 'campaigns'));
  }
  if (!context) {
    dispose = loginView(view, { onLogin: async (session) => { await start(session); go(new URLSearchParams(location.search).get('next') ?? '/'); } });
    return;
  }
  try {
    let result;
    if (path === '/' || path === '') result = await runsView(view, context);
    else if (path.startsWith('/runs/')) result = await runView(view, context, decodeURIComponent(path.slice('/runs/'.length)));
    else if (path === '/campaigns') result = await campaignsView(view, context);
    else if (path.startsWith('/campaigns/')) result = await campaignView(view, context, decodeURIComponent(path.slice('/campaigns/'.length)));
    else if (path === '/compare') result = await compareView(view, context);
    else if (path === '/alerts') result = await alertsView(view, context);
    else if (path === '/login') { go('/'); return; }
    else { clear(view).append(h('p', {}, `No page at ${path}. `, h('a', { href: '/' }, 'Runs'))); return; }
    if (ticket !== rendering) await result?.();
    else dispose = result;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return needLogin();
    clear(view).append(h('p', { class: 'error', role: 'alert' }, error.message));
  }
}

function go(path) {
  if (path !== location.pathname + location.search) history.pushState(null, '', path);
  render();
}

function needLogin() {
  context = null;
  who.textContent = '';
  logout.hidden = true;
  if (location.pathname !== '/login') history.replaceState(null, '', `/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  render();
}

async function countAlerts() {
  try {
    const answer = await api('/api/alerts?state=open&limit=500');
    const n = (answer.alerts ?? answer).length;
    alertCount.hidden = n === 0;
    alertCount.textContent = String(n);
  } catch {
    alertCount.hidden = true;
  }
}

async function start(session) {
  const live = context?.live ?? new Live(setConnection);
  context = { session, live };
  who.textContent = `${session.name} (${session.role})`;
  who.dataset.role = session.role;
  logout.hidden = session.method !== 'session';
  if (!live.started) {
    live.started = true;
    live.onAlerts((alerts) => {
      for (const a of alerts) toast(`${a.severity}: ${a.run_id}: ${a.message}`, a.severity, a.severity === 'critical' ? 0 : 10000).dataset.alert = a.id;
      countAlerts();
    });
    await live.start();
  }
  countAlerts();
}

document.addEventListener('click', (e) => {
  const a = e.target.closest?.('a[href]');
  if (!a || a.hasAttribute('download') || a.target || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  e.preventDefault();
  go(url.pathname + url.search);
});
window.addEventListener('popstate', () => render());
window.addEventListener('navigate', (e) => go(e.detail));
logout.addEventListener('click', async () => {
  await api('/api/session', { method: 'DELETE' }).catch(() => {});
  await context?.live.connection.stop();
  location.assign('/login');
});

try {
  await start(await api('/api/session'));
} catch (error) {
  if (!(error instanceof ApiError && error.status === 401)) toast(error.message, 'error');
  context = null;
}
if (context) render();
else needLogin();
