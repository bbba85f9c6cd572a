// One run's recorded updates as the page holds them: the (downsampled) history from /series, then the live updates
// from the hub, joined by sequence number so that nothing shows twice and no gap stays open. Updates that arrive
// before the history has loaded wait; a gap in the numbers (a slow client's coalesced summaries, a reconnect) is
// filled from /updates, and what the server no longer keeps is skipped, not invented.
import { api, runPath } from './api.js';

export class RunTimeline {
  constructor(id, { points = 2000, onChange } = {}) {
    this.id = id;
    this.points = points;
    this.onChange = onChange ?? (() => {});
    this.summaries = []; // summary updates, in sequence order
    this.events = []; // event updates, in sequence order
    this.statuses = []; // status updates, in sequence order
    this.last = 0; // the highest sequence number held
    this.loaded = false;
    this.waiting = []; // live updates that came before the history, or beyond a gap being filled
    this.filling = null;
    this.downsampled = false;
    this.totalSummaries = 0;
  }

  async load() {
    const series = await api(`${runPath(this.id)}/series?points=${this.points}`);
    this.summaries = series.updates;
    this.events = series.events;
    this.statuses = [];
    this.last = series.last_sequence;
    this.downsampled = series.downsampled;
    this.totalSummaries = series.total_summaries;
    this.loaded = true;
    const waiting = this.waiting;
    this.waiting = [];
    this.onChange({ reset: true });
    this.receive(waiting);
  }

  /** Takes live updates of any run (the ones of other runs are ignored); true when something was added. */
  receive(updates) {
    const mine = updates.filter((u) => u.run_id === this.id);
    if (mine.length === 0) return false;
    if (!this.loaded || this.filling) {
      this.waiting.push(...mine);
      return false;
    }
    mine.sort((a, b) => a.sequence - b.sequence);
    const added = [];
    for (let i = 0; i < mine.length; i++) {
      const update = mine[i];
      if (update.sequence <= this.last) continue; // already held
      if (update.sequence > this.last + 1) {
        this.waiting.push(...mine.slice(i));
        this.#fill();
        break;
      }
      this.#add(update);
      added.push(update);
    }
    if (added.length) this.onChange({ added });
    return added.length > 0;
  }

  /** Catches up over HTTP (after a reconnect) from the last sequence held. */
  resync() {
    if (this.loaded && !this.filling) this.#fill();
  }

  #add(update) {
    this.last = update.sequence;
    if (update.type === 'summary') {
      this.summaries.push(update);
      this.totalSummaries++;
    } else if (update.type === 'event') this.events.push(update);
    else this.statuses.push(update);
  }

  #fill() {
    this.filling = (async () => {
      const added = [];
      try {
        for (;;) {
          const page = await api(`${runPath(this.id)}/updates?after=${this.last}&limit=500`);
          if (page.missed > 0) this.last += page.missed; // no longer kept: skipped
          for (const update of page.updates) {
            if (update.sequence <= this.last) continue;
            this.#add(update);
            added.push(update);
          }
          if (page.updates.length === 0 || this.last >= page.last_sequence) break;
        }
      } catch (error) {
        // The server may be on its way back (a silo failing over): try again, holding what arrives meanwhile.
        console.warn(`run ${this.id}: could not fill a gap (${error.message}); trying again`);
        this.filling = null;
        if (added.length) this.onChange({ added });
        setTimeout(() => { if (!this.filling) this.#fill(); }, 2000);
        return;
      }
      this.filling = null;
      if (added.length) this.onChange({ added });
      const waiting = this.waiting;
      this.waiting = [];
      // Whatever came meanwhile continues from here; a gap the server could not fill is skipped.
      const next = waiting.filter((u) => u.sequence > this.last).sort((a, b) => a.sequence - b.sequence);
      if (next.length && next[0].sequence > this.last + 1) this.last = next[0].sequence - 1;
      this.receive(next);
    })();
  }

  /** The latest summary held, or null. */
  latest() {
    return this.summaries.length ? this.summaries[this.summaries.length - 1].summary : null;
  }
}
