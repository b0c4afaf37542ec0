import { nodeHandlers } from '../../../core/api/node-handlers';
import { ConflictError } from '../../../core/errors';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { Transaction } from '../../../core/store/transaction';
import { updateRetrying } from '../../../core/store/update-retrying';
import { MemoryLog } from '../../helpers/memory-log';
import { makeNode, unstored } from '../orchestrator/fixtures';

/** A log that, before each of the next `races` proposals, first commits another writer's change to node `n1`. */
class RacingLog extends MemoryLog {
  races = 0;
  store: ReplicatedStore | undefined;

  override async propose(data: Uint8Array): Promise<unknown> {
    if (this.races > 0) {
      const other = new Transaction(this.store!.state);
      const n = other.tx.nodes.get('n1')!;
      other.tx.nodes.update({ ...n, status: { ...n.status, message: `heartbeat ${--this.races}` } });
      await super.propose(Buffer.from(JSON.stringify(other.changeset(new Date().toISOString()))));
    }
    return super.propose(data);
  }
}

async function racingStore() {
  const log = new RacingLog();
  const store = new ReplicatedStore(log);
  log.store = store;
  await store.start();
  await store.update((tx) => tx.nodes.create(unstored(makeNode('n1'))));
  return { log, store };
}

describe('updateRetrying', () => {
  it('runs a write that lost a race again against the new state', async () => {
    const { log, store } = await racingStore();
    log.races = 2;
    const { NodeUpdate } = nodeHandlers(store, 'n1', () => log.status());
    const { node } = await NodeUpdate({ ref: 'n1', availability: 'drain', labelAdd: { zone: 'a' } });
    expect(node.spec).toMatchObject({ availability: 'drain', labels: { zone: 'a' } });
    expect(node.status.message).toBe('heartbeat 0');
  });

  it('gives the conflict to its caller after five lost races, having written nothing', async () => {
    const { log, store } = await racingStore();
    log.races = 5;
    const write = updateRetrying(store, (tx) => tx.nodes.update({ ...tx.nodes.get('n1')!, spec: { ...tx.nodes.get('n1')!.spec, availability: 'pause' } }));
    await expect(write).rejects.toBeInstanceOf(ConflictError);
    expect(store.view((r) => r.nodes.get('n1')!.spec.availability)).toBe('active');
  });

  it('does not retry other errors', async () => {
    const { store } = await racingStore();
    let tries = 0;
    const write = updateRetrying(store, () => {
      tries++;
      throw new Error('bad input');
    });
    await expect(write).rejects.toThrow('bad input');
    expect(tries).toBe(1);
  });
});
