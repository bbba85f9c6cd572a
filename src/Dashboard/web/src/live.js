// The page's one connection to the server's hub (/hubs/runs). Views say what they want (follow a run, watch the list)
// and register handlers; after a reconnect the wishes are sent again and views are told to catch up over HTTP.
import { HubConnectionBuilder, HubConnectionState, LogLevel } from '@microsoft/signalr';

export class Live {
  constructor(onState) {
    this.connection = new HubConnectionBuilder()
      .withUrl('/hubs/runs')
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(10000, 500 * 2 ** ctx.previousRetryCount) })
      .configureLogging(LogLevel.Warning)
      .build();
    this.followed = new Map(); // run id -> number of views following it
    this.watchers = 0;
    this.updateHandlers = new Set();
    this.alertHandlers = new Set();
    this.resyncHandlers = new Set();
    this.onState = onState;
    this.connection.on('updates', (updates) => this.updateHandlers.forEach((handler) => handler(updates)));
    this.connection.on('alerts', (alerts) => this.alertHandlers.forEach((handler) => handler(alerts)));
    this.connection.onreconnecting(() => onState('reconnecting'));
    this.connection.onreconnected(async () => {
      onState('live');
      await this.#sendWishes();
      this.resyncHandlers.forEach((handler) => handler());
    });
    this.connection.onclose(() => {
      onState('closed');
      setTimeout(() => this.start(), 5000);
    });
  }

  async start() {
    if (this.connection.state !== HubConnectionState.Disconnected) return;
    try {
      await this.connection.start();
      this.onState('live');
      await this.#sendWishes();
      this.resyncHandlers.forEach((handler) => handler());
    } catch (error) {
      this.onState('closed');
      setTimeout(() => this.start(), 5000);
    }
  }

  get connected() {
    return this.connection.state === HubConnectionState.Connected;
  }

  async #sendWishes() {
    if (this.watchers > 0) await this.connection.invoke('WatchRuns');
    for (const id of this.followed.keys()) await this.connection.invoke('Follow', id);
  }

  async #invoke(method, ...args) {
    if (this.connected) await this.connection.invoke(method, ...args);
  }

  /** Follows a run's every update until the returned function is called. */
  async follow(id) {
    const count = this.followed.get(id) ?? 0;
    this.followed.set(id, count + 1);
    if (count === 0) await this.#invoke('Follow', id);
    return async () => {
      const left = (this.followed.get(id) ?? 1) - 1;
      if (left > 0) this.followed.set(id, left);
      else {
        this.followed.delete(id);
        await this.#invoke('Unfollow', id);
      }
    };
  }

  async watchRuns() {
    if (this.watchers++ === 0) await this.#invoke('WatchRuns');
    return async () => {
      if (--this.watchers === 0) await this.#invoke('UnwatchRuns');
    };
  }

  /** Registers a handler; returns the function that removes it. */
  onUpdates(handler) {
    this.updateHandlers.add(handler);
    return () => this.updateHandlers.delete(handler);
  }

  onAlerts(handler) {
    this.alertHandlers.add(handler);
    return () => this.alertHandlers.delete(handler);
  }

  onResync(handler) {
    this.resyncHandlers.add(handler);
    return () => this.resyncHandlers.delete(handler);
  }
}
