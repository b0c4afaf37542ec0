import type { Logger } from 'pino';
import type { Hooks } from '../hooks';
import type { ClusterStore } from '../store/contract';
import { GlobalOrchestrator } from './global';
import type { Clock } from './planning-loop';
import { ReplicatedOrchestrator } from './replicated';
import { RestartSupervisor } from './restart';
import { TaskReaper } from './task-reaper';
import { Updater } from './updater';

export type { Clock } from './planning-loop';

/** The running orchestrator loops of a manager. */
export interface Orchestrators {
  /** Stops every loop (waiting for passes under way) and its timers. */
  stop(): Promise<void>;
  /**
   * Resolves once no loop has a pass running or due and the store stopped changing under them: for
   * tests. Delayed restarts that are not due yet do not count.
   */
  idle(): Promise<void>;
}

/**
 * Starts the manager's orchestrators on `store`: replicated, global, the restart supervisor, the
 * task reaper and the updater (rolling updates). `hooks` answer the constraint keys of global services and hear every pass (`loops.pass`);
 * `clock` (the current time) must agree with the store's, since restart delays are measured from the
 * tasks' creation times.
 */
export function startOrchestrators(store: ClusterStore, hooks: Hooks, log: Logger, clock: Clock = () => new Date()): Orchestrators {
  const loops = [
    new ReplicatedOrchestrator(store, log, clock),
    new GlobalOrchestrator(store, hooks, log, clock),
    new RestartSupervisor(store, log, clock),
    new TaskReaper(store, log),
    new Updater(store, log, clock),
  ];
  for (const loop of loops) loop.reportTo(hooks).start();
  return {
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
    },
    async idle() {
      let version: number;
      do {
        version = store.version;
        await Promise.all(loops.map((l) => l.idle()));
      } while (store.version !== version);
    },
  };
}
