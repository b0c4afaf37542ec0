import type { LogChannel, LogPublication, LogSubscriber } from '../logs/contract';
import type { ReplicatedLog } from '../store/replicated-log';
import { LeaderSides } from './leader-sides';

/**
 * A manager's own log channel: straight to its broker while this manager leads, through the leader's
 * dispatcher otherwise. When leadership moves, the subscriber is told its subscriptions are lost and
 * listens on the other side.
 */
export class LeaderLogChannel implements LogChannel {
  private readonly sides: LeaderSides<LogChannel>;

  constructor(consensus: Pick<ReplicatedLog, 'status' | 'watchLeadership'>, local: LogChannel, remote: LogChannel) {
    this.sides = new LeaderSides(consensus, local, remote);
  }

  listenLogs(subscriber: LogSubscriber): () => void {
    return this.sides.follow((side) => {
      const unlisten = side.listenLogs(subscriber);
      return () => {
        unlisten();
        subscriber.lost();
      };
    });
  }

  publishLogs(publication: LogPublication): Promise<void> {
    return this.sides.current().publishLogs(publication);
  }
}
