import { OrchError } from '../../core/errors';
import { replicasOf } from '../../core/model/service-spec';
import type { Service, Task } from '../../core/model/types';
import { matchesService, rolloutOf } from '../../core/orchestrator/updater-plan';
import { globalProgress, replicatedProgress, type ProgressView } from './model';

/** What the command that shows the progress asked for: an update, or a rollback. */
export type RolloutKind = 'update' | 'rollback';

/** The error a rollout's end state is for the command that asked for `kind`, if it is one. */
function endError(service: Service, kind: RolloutKind): OrchError | undefined {
  const status = service.updateStatus;
  if (status?.specVersion !== service.specVersion) return undefined;
  if (status.state === 'paused') return new OrchError('unavailable', `service update paused: ${status.message}`);
  if (status.state === 'rollback_paused') return new OrchError('unavailable', `service rollback paused: ${status.message}`);
  if (status.state === 'rollback_completed' && kind === 'update') return new OrchError('unavailable', `service rolled back: ${status.message}`);
  return undefined;
}

/**
 * Progress of a rolling update or rollback, as docker shows it: only the tasks of the current spec count
 * (a slot appears once its new task exists); once they all run, the monitor period is waited out
 * (`verify: Waiting N seconds…`), and the rollout converges when its update status completes. A rollback
 * the cluster started during an update shows as a `rollback:` line with its reason. A paused rollout, or
 * an update that ended rolled back, is `failed`. Pure.
 * @param eligibleNodes for a global service: how many nodes can run it.
 */
export function rolloutProgress(service: Service, tasks: readonly Task[], eligibleNodes: number, kind: RolloutKind): ProgressView & { readonly failed?: OrchError } {
  const fresh = tasks.filter((t) => matchesService(t, service));
  const replicas = replicasOf(service.spec);
  const base = replicas !== undefined ? replicatedProgress(replicas, fresh) : globalProgress(fresh, eligibleNodes);
  const status = service.updateStatus?.specVersion === service.specVersion ? service.updateStatus : undefined;
  const rollingBack = status !== undefined && status.state.startsWith('rollback') && kind === 'update';
  const head = rollingBack ? [{ key: 'rollback', text: `rollback: ${status.message}` }] : [];
  const failed = endError(service, kind);
  const running = status?.state === 'updating' || status?.state === 'rollback_started';
  if (failed || !running) return { lines: [...head, ...base.lines], converged: base.converged && !failed, failed };
  const { config } = rolloutOf(service);
  const lines = base.lines.filter((l) => l.key !== 'verify');
  const verify = base.converged ? [{ key: 'verify', text: `verify: Waiting ${Math.round(config.monitorMs / 1000)} seconds to verify that tasks are stable...` }] : [];
  return { lines: [...head, ...lines, ...verify], converged: false };
}
