import { OrchError } from '../../core/errors';
import type { DaemonApi } from '../connection';
import type { DeployOutput } from './deploy';
import { stackNetworks, stackServices } from './members';

/** How long `stack rm` retries removing a network that a service still uses, and how often. */
export interface RetryTiming {
  readonly forMs: number;
  readonly everyMs: number;
}

const DEFAULT_RETRY: RetryTiming = { forMs: 10_000, everyMs: 250 };

/** Removes a network, retrying while the daemon refuses it as in use (services just removed may still be winding down). */
async function removeNetwork(daemon: DaemonApi, id: string, retry: RetryTiming): Promise<void> {
  const deadline = Date.now() + retry.forMs;
  for (;;) {
    try {
      await daemon.call('NetworkRemove', { ref: id });
      return;
    } catch (err) {
      if (!(err instanceof OrchError && err.code === 'conflict') || Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, retry.everyMs));
    }
  }
}

/**
 * Removes a stack as `docker stack rm` does: its services (by namespace label), then its networks,
 * printing `Removing service …` and `Removing network …`; a failure is printed and the rest carries on.
 * A stack with nothing gets `Nothing found in stack: NAME` on stderr (not a failure, as with docker).
 * @returns whether everything found was removed.
 */
export async function removeStack(daemon: DaemonApi, stack: string, out: DeployOutput, retry: RetryTiming = DEFAULT_RETRY): Promise<boolean> {
  const [{ services }, { networks }] = await Promise.all([daemon.call('ServiceList', {}), daemon.call('NetworkList', {})]);
  const ours = stackServices(services, stack).map((s) => s.service);
  const nets = stackNetworks(networks, stack);
  if (ours.length === 0 && nets.length === 0) {
    out.warn(`Nothing found in stack: ${stack}`);
    return true;
  }
  let ok = true;
  const attempt = async (kind: string, name: string, remove: () => Promise<unknown>) => {
    out.line(`Removing ${kind} ${name}`);
    try {
      await remove();
    } catch (err) {
      ok = false;
      out.warn(`Failed to remove ${kind} ${name}: ${(err as Error).message}`);
    }
  };
  for (const s of ours) await attempt('service', s.spec.name, () => daemon.call('ServiceRemove', { ref: s.id }));
  for (const n of nets) await attempt('network', n.spec.name, () => removeNetwork(daemon, n.id, retry));
  return ok;
}
