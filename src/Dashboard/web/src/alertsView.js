// Alerts: the list (acknowledge with a comment, snooze: operators), the rules (edit: admins) and the webhook
// deliveries (admins). New alerts arrive over the hub; main.js shows each as a notification and counts the open ones.
import { api } from './api.js';
import { clear, fmt, h, latestOnly, toast } from './dom.js';
import { canOperate, isAdmin } from './session.js';

export async function alertsView(root, { live, session }) {
  const list = h('tbody');
  const rules = h('tbody');
  const deliveries = h('tbody');
  const stateFilter = h('select', { 'aria-label': 'alert state', id: 'alerts-state', onchange: () => loadAlerts() },
    h('option', { value: 'open' }, 'open'), h('option', { value: 'acknowledged' }, 'acknowledged'), h('option', { value: 'all' }, 'all'));
  const editor = h('textarea', { class: 'rule', id: 'rule-editor', spellcheck: 'false',
    placeholder: '{"id": "big-nucleus", "severity": "critical", "runs": "*", "when": {"quantity": "n_max", "op": ">", "value": 500, "for_frames": 3}, "webhooks": [], "enabled": true}' });
  const editorError = h('p', { class: 'error rule-error', role: 'alert' });
  const admin = isAdmin(session);
  clear(root).append(
    h('div', { class: 'toolbar' }, h('h1', {}, 'Alerts'), stateFilter),
    h('table', { class: 'plain', id: 'alerts' }, h('thead', {}, h('tr', {}, ...['Raised', 'Severity', 'Run', 'Rule', 'Message', 'State', ''].map((t) => h('th', {}, t)))), list),
    h('h2', {}, 'Rules'),
    h('table', { class: 'plain', id: 'rules' }, h('thead', {}, h('tr', {}, ...['Rule', 'Severity', 'Runs', 'When', 'Webhooks', ''].map((t) => h('th', {}, t)))), rules),
    admin ? h('div', {}, h('h2', {}, 'Add or replace a rule'), editor, editorError, h('button', { id: 'rule-save', onclick: () => saveRule() }, 'Save rule')) : null,
    admin ? h('div', {}, h('h2', {}, 'Webhook deliveries'), h('table', { class: 'plain', id: 'deliveries' }, h('thead', {}, h('tr', {}, ...['Time', 'Webhook', 'Alert', 'Attempt', 'Outcome'].map((t) => h('th', {}, t)))), deliveries)) : null,
  );

  const loadAlerts = latestOnly(() => api(`/api/alerts?state=${stateFilter.value}&limit=200`), (answer) => {
    clear(list);
    for (const a of answer.alerts ?? answer) list.append(alertRow(a));
  });

  function alertRow(a) {
    const operator = canOperate(session);
    return h('tr', { dataset: { alert: a.id, state: a.state } },
      h('td', {}, fmt.dateTime(a.raised_at)),
      h('td', { class: `severity-${a.severity}` }, a.severity),
      h('td', {}, h('a', { href: `/runs/${encodeURIComponent(a.run_id)}` }, a.run_id)),
      h('td', {}, a.rule),
      h('td', {}, a.message),
      h('td', {}, a.state === 'acknowledged' ? `acknowledged by ${a.acknowledged_by}${a.comment ? `: ${a.comment}` : ''}` : a.state,
        a.snoozed_until ? ` · snoozed until ${fmt.dateTime(a.snoozed_until)}` : ''),
      h('td', {},
        a.state === 'open' ? h('button', { disabled: !operator, title: operator ? '' : 'needs the operator role', onclick: () => act(a, 'ack') }, 'Acknowledge') : null, ' ',
        h('button', { disabled: !operator, title: operator ? '' : 'needs the operator role', onclick: () => act(a, 'snooze') }, 'Snooze 1 h')),
    );
  }

  async function act(a, action) {
    const comment = prompt(action === 'ack' ? `Acknowledge ${a.rule} on ${a.run_id}: comment` : `Snooze ${a.rule} on ${a.run_id} for an hour: comment`, '');
    if (comment === null) return;
    try {
      await api(`/api/alerts/${encodeURIComponent(a.id)}/${action}`, { method: 'POST', body: action === 'ack' ? { comment } : { seconds: 3600, comment } });
      await loadAlerts();
    } catch (error) {
      toast(error.message, 'error');
    }
  }

  const loadRules = latestOnly(() => api('/api/alerts/rules'), (answer) => {
    clear(rules);
    for (const r of answer.rules ?? answer) {
      rules.append(h('tr', { dataset: { rule: r.id } },
        h('td', {}, r.id, r.enabled === false ? ' (off)' : ''),
        h('td', { class: `severity-${r.severity}` }, r.severity),
        h('td', {}, h('code', {}, r.runs ?? '*')),
        h('td', {}, h('code', {}, JSON.stringify(r.when))),
        h('td', {}, (r.webhooks ?? []).join(', ') || '–'),
        h('td', {}, admin ? h('button', { onclick: () => { editor.value = JSON.stringify(r, null, 2); editor.focus(); } }, 'Edit') : null, ' ',
          admin ? h('button', { onclick: () => removeRule(r.id) }, 'Delete') : null)));
    }
  });

  async function saveRule() {
    editorError.textContent = '';
    let rule;
    try {
      rule = JSON.parse(editor.value);
    } catch (error) {
      editorError.textContent = `not JSON: ${error.message}`;
      return;
    }
    try {
      await api(`/api/alerts/rules/${encodeURIComponent(rule.id ?? '')}`, { method: 'PUT', body: rule });
      toast(`Rule ${rule.id} saved`);
      await loadRules();
    } catch (error) {
      editorError.textContent = error.message;
    }
  }

  async function removeRule(id) {
    if (!confirm(`Delete rule ${id}?`)) return;
    await api(`/api/alerts/rules/${encodeURIComponent(id)}`, { method: 'DELETE' }).catch((e) => toast(e.message, 'error'));
    await loadRules();
  }

  async function loadDeliveries() {
    if (!admin) return;
    const answer = await api('/api/alerts/deliveries?limit=100');
    clear(deliveries);
    for (const d of answer.deliveries ?? answer) {
      deliveries.append(h('tr', {}, h('td', {}, fmt.dateTime(d.at)), h('td', {}, d.webhook), h('td', {}, d.alert_id),
        h('td', {}, String(d.attempt)), h('td', { dataset: { outcome: d.outcome } }, `${d.outcome}${d.status_code ? ` (HTTP ${d.status_code})` : ''}${d.error ? `: ${d.error}` : ''}`)));
    }
  }

  const off = live.onAlerts(() => loadAlerts());
  await Promise.all([loadAlerts(), loadRules(), loadDeliveries().catch(() => {})]);
  return () => off();
}
