// How a campaign's standing reads wherever it is shown (the campaigns list, a campaign's page): its phase, its progress,
// its shots by outcome and the MD steps stopping committed shots saved. counts is the API's CampaignCounts.
import { fmt, h } from './dom.js';

/** The outcomes a shot can have, in the order they are listed and counted. */
export const OUTCOMES = ['pending', 'running', 'a', 'b', 'undecided', 'lost', 'failed', 'cancelled'];

export const phaseBadge = (phase, attributes = {}) => h('span', { ...attributes, class: `state ${phase}` }, phase);

export const outcomeBadge = (outcome, label = outcome) => h('span', { class: `shot-outcome ${outcome}` }, label);

/** concluded / total, as a bar and in numbers. */
export const progress = (counts) => h('span', { class: 'campaign-progress' },
  h('progress', { max: Math.max(1, counts.total), value: counts.concluded }),
  ` ${fmt.int(counts.concluded)} / ${fmt.int(counts.total)}`);

/** "4.2× fewer MD steps" once a shot has ended; its title gives the steps run against those at full length. */
export function saving(counts) {
  if (!counts.saving) return h('span', { class: 'muted' }, '–');
  return h('span', { class: 'saving', title: `${fmt.int(counts.steps_run)} MD steps run; ${fmt.int(counts.steps_at_full_length)} had every ended shot run to its maximum length` },
    `${counts.saving.toFixed(1)}× fewer MD steps`);
}
