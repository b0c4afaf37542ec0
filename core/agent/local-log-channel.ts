import type { LogBroker } from '../logs/broker';
import type { LogChannel, LogPublication, LogSubscriber } from '../logs/contract';

/** The log channel of the node whose manager holds the broker: no network in between. */
export class LocalLogChannel implements LogChannel {
  constructor(
    private readonly broker: LogBroker,
    private readonly nodeId: string,
  ) {}

  listenLogs(subscriber: LogSubscriber): () => void {
    return this.broker.listen(this.nodeId, (s) => subscriber.subscription(s));
  }

  async publishLogs(publication: LogPublication): Promise<void> {
    this.broker.publish(this.nodeId, publication);
  }
}
