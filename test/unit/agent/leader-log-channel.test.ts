import { LeaderLogChannel } from '../../../core/agent/leader-log-channel';
import type { LogChannel, LogPublication, LogSubscriber } from '../../../core/logs/contract';
import type { LogStatus } from '../../../core/store/replicated-log';

/** Consensus whose leadership a test moves. */
class Leadership {
  isLeader = true;
  private listeners: ((s: LogStatus) => void)[] = [];
  status(): LogStatus {
    return { isLeader: this.isLeader } as LogStatus;
  }
  watchLeadership(listener: (s: LogStatus) => void): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }
  move(isLeader: boolean): void {
    this.isLeader = isLeader;
    for (const l of this.listeners) l(this.status());
  }
}

/** A side that records who listens and what is published. */
class Side implements LogChannel {
  listening = 0;
  readonly published: LogPublication[] = [];
  listenLogs(_subscriber: LogSubscriber): () => void {
    this.listening++;
    return () => this.listening--;
  }
  async publishLogs(p: LogPublication): Promise<void> {
    this.published.push(p);
  }
}

describe('LeaderLogChannel', () => {
  it('listens on the local side while leading and on the remote side otherwise, losing subscriptions as it moves', async () => {
    const consensus = new Leadership();
    const local = new Side();
    const remote = new Side();
    const channel = new LeaderLogChannel(consensus, local, remote);
    let lost = 0;
    const unlisten = channel.listenLogs({ subscription: () => undefined, lost: () => lost++ });
    expect([local.listening, remote.listening, lost]).toEqual([1, 0, 0]);
    await channel.publishLogs({ subscriptionId: 's', messages: [] });
    expect(local.published).toHaveLength(1);

    consensus.move(false);
    expect([local.listening, remote.listening, lost]).toEqual([0, 1, 1]);
    await channel.publishLogs({ subscriptionId: 's', messages: [] });
    expect(remote.published).toHaveLength(1);

    unlisten();
    expect([local.listening, remote.listening]).toEqual([0, 0]);
    consensus.move(true);
    expect(local.listening).toBe(0);
  });
});
