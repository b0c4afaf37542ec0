import { OrchError } from '../../core/errors';
import { replicasOf } from '../../core/model/service-spec';
import type { DaemonApi } from '../connection';
import type { Output } from '../context';
import { countEligibleNodes } from './eligibility';
import { globalProgress, replicatedProgress, type ProgressView } from './model';
import { progressRenderer } from './render';
import { rolloutProgress, type RolloutKind } from './rollout';

/**
 * Reads the service, its tasks (and for a global service the nodes) and computes the progress view: of
 * its convergence, or of the rollout `kind` names.
 */
async function currentView(daemon: DaemonApi, serviceId: string, kind?: RolloutKind): Promise<ProgressView & { readonly failed?: Error }> {
  const [{ service }, { tasks }] = await Promise.all([
    daemon.call('ServiceInspect', { ref: serviceId }),
    daemon.call('TaskList', { filters: { service: [serviceId] } }),
  ]);
  const replicas = replicasOf(service.spec);
  const eligible = replicas !== undefined ? 0 : countEligibleNodes(service.spec, (await daemon.call('NodeList', {})).nodes);
  if (kind) return rolloutProgress(service, tasks, eligible, kind);
  return replicas !== undefined ? replicatedProgress(replicas, tasks) : globalProgress(tasks, eligible);
}

/**
 * Shows a service's progress until it converges, as docker does after `service create` or `scale`:
 * redrawn on a terminal, a line per change elsewhere. Each committed change to tasks, services or
 * nodes (the control API's Watch stream) triggers one re-read; changes arriving during a re-read are
 * folded into the next one.
 * With `kind`, shows the rolling update or rollback under way instead (see `rolloutProgress`).
 * @returns once converged. Rejects when a read fails (e.g. the service was removed) or the stream ends,
 * and when the rollout pauses or an update ends rolled back.
 */
export function showProgress(daemon: DaemonApi, serviceId: string, out: Output, kind?: RolloutKind): Promise<void> {
  const renderer = progressRenderer(out);
  return new Promise<void>((resolve, reject) => {
    let done = false;
    let reading = false;
    let again = false;
    let cancel: () => void = () => {};
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      cancel();
      if (err) reject(err);
      else resolve();
    };
    const refresh = async (): Promise<void> => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          const view = await currentView(daemon, serviceId, kind);
          if (done) return;
          renderer.show(view.lines);
          if (view.failed) finish(view.failed);
          else if (view.converged) finish();
        } while (again && !done);
      } catch (err) {
        finish(err);
      } finally {
        reading = false;
      }
    };
    cancel = daemon.watch(
      { tables: ['tasks', 'services', 'nodes'] },
      () => void refresh(),
      (err) => finish(err ?? new OrchError('unavailable', 'the daemon ended the watch stream before the service converged')),
    );
    void refresh();
  });
}
