// The campaigns list: every shooting campaign with its phase, progress, shots by outcome and the MD steps saved by
// stopping committed shots, polled every few seconds (campaigns change at the pace of their shots, not of frames).
import { api } from './api.js';
import { clear, fmt, h, latestOnly, poll } from './dom.js';
import { phaseBadge, progress, saving } from './campaignFacts.js';

const REFRESH_MS = 3000;

export async function campaignsView(root) {
  const body = h('tbody');
  const count = h('span', { class: 'muted', id: 'campaigns-count' });
  const problem = h('span', { class: 'error', role: 'alert' });
  const headings = ['Campaign', 'Phase', 'Progress', 'A', 'B', 'Undecided', 'Failed', 'Cancelled', 'Running', 'Saving', 'Started', 'Ended'];
  clear(root).append(
    h('div', { class: 'toolbar' }, h('h1', {}, 'Campaigns'), count, problem),
    h('table', { class: 'runs', id: 'campaigns' }, h('thead', {}, h('tr', {}, ...headings.map((t) => h('th', {}, t)))), body),
  );

  const show = (campaigns) => {
    clear(body);
    const sorted = [...campaigns].sort((x, y) => (y.started_at ?? '').localeCompare(x.started_at ?? '') || x.id.localeCompare(y.id));
    for (const c of sorted) body.append(row(c));
    if (!sorted.length) body.append(h('tr', {}, h('td', { colspan: headings.length, class: 'muted' }, 'No campaigns yet: start one with `streammonitor campaign run FILE`, or POST it to /api/campaigns.')));
    count.textContent = `${sorted.length} campaign${sorted.length === 1 ? '' : 's'}`;
  };
  const load = latestOnly(() => api('/api/campaigns'), show);
  await load();
  return poll(load, REFRESH_MS, problem);
}

function row(c) {
  const n = c.counts;
  return h('tr', { dataset: { campaign: c.id, phase: c.phase } },
    h('td', {}, h('a', { href: `/campaigns/${encodeURIComponent(c.id)}` }, c.id)),
    h('td', {}, phaseBadge(c.phase)),
    h('td', { dataset: { field: 'progress' } }, progress(n)),
    h('td', { class: 'num' }, fmt.int(n.a)),
    h('td', { class: 'num' }, fmt.int(n.b)),
    h('td', { class: 'num' }, fmt.int(n.undecided)),
    h('td', { class: 'num' }, fmt.int(n.failed)),
    h('td', { class: 'num' }, fmt.int(n.cancelled)),
    h('td', { class: 'num' }, fmt.int(n.running)),
    h('td', {}, saving(n)),
    h('td', {}, fmt.dateTime(c.started_at)),
    h('td', {}, fmt.dateTime(c.ended_at)),
  );
}
