import { formatConstraint, parseConstraint } from '../../core/model/constraints';
import { failureActions } from '../../core/model/service-spec';
import type { Resources, RestartPolicy, UpdateConfig } from '../../core/model/types';
import { UsageError, withFlag } from '../errors';
import { itemPath, keyPath } from './paths';
import { choice, count, duration, labels, list, mapping, nanoCpus, bytes, ratio, text } from './values';

/** The fields of a `deploy` section, in a service spec's terms (restart and update configs partial: the spec check fills in defaults). */
export interface DeployFields {
  readonly labels: Record<string, string>;
  readonly mode: { replicated: { replicas: number } } | { global: Record<string, never> };
  readonly placement: { constraints: string[]; preferences: { spread: string }[]; maxReplicasPerNode: number };
  readonly resources: { limits: Partial<Resources>; reservations: Partial<Resources> };
  readonly restartPolicy: Partial<RestartPolicy>;
  readonly updateConfig?: Partial<UpdateConfig>;
  readonly rollbackConfig?: Partial<UpdateConfig>;
  readonly endpointMode?: 'vip' | 'dnsrr';
}

/** Reads the fields of a mapping that are set, each with its own reader. */
function fieldsOf<T>(o: Readonly<Record<string, unknown>>, p: string, readers: { [K in keyof T]: readonly [key: string, read: (v: unknown, path: string) => T[K]] }): Partial<T> {
  const out: Partial<T> = {};
  for (const field of Object.keys(readers) as (keyof T)[]) {
    const [key, read] = readers[field];
    if (o[key] !== undefined) out[field] = read(o[key], keyPath(p, key));
  }
  return out;
}

function modeOf(deploy: Readonly<Record<string, unknown>>, p: string): DeployFields['mode'] {
  const mode = choice(deploy.mode ?? 'replicated', keyPath(p, 'mode'), ['replicated', 'global']);
  if (mode === 'replicated') return { replicated: { replicas: deploy.replicas === undefined ? 1 : count(deploy.replicas, keyPath(p, 'replicas')) } };
  if (deploy.replicas !== undefined) throw new UsageError(keyPath(p, 'replicas'), 'cannot be used with mode global');
  return { global: {} };
}

function placementOf(v: unknown, p: string): DeployFields['placement'] {
  const o = mapping(v, p);
  const constraints = list(o.constraints, keyPath(p, 'constraints')).map((c, i) => {
    const at = itemPath(keyPath(p, 'constraints'), i);
    return formatConstraint(withFlag(at, () => parseConstraint(text(c, at), at)));
  });
  const preferences = list(o.preferences, keyPath(p, 'preferences')).map((x, i) => {
    const at = itemPath(keyPath(p, 'preferences'), i);
    const spread = mapping(x, at).spread;
    if (spread === undefined) throw new UsageError(at, 'expected "spread: <node attribute>", e.g. spread: node.labels.zone');
    return { spread: text(spread, keyPath(at, 'spread')) };
  });
  const max = o.max_replicas_per_node === undefined ? 0 : count(o.max_replicas_per_node, keyPath(p, 'max_replicas_per_node'));
  return { constraints, preferences, maxReplicasPerNode: max };
}

const resourceReaders = { nanoCpus: ['cpus', nanoCpus], memoryBytes: ['memory', bytes] } as const;

function resourcesOf(v: unknown, p: string): DeployFields['resources'] {
  const o = mapping(v, p);
  return {
    limits: fieldsOf<Resources>(mapping(o.limits, keyPath(p, 'limits')), keyPath(p, 'limits'), resourceReaders),
    reservations: fieldsOf<Resources>(mapping(o.reservations, keyPath(p, 'reservations')), keyPath(p, 'reservations'), resourceReaders),
  };
}

/** The service-level `restart` of compose, read as docker reads it when `deploy.restart_policy` is absent. */
function restartOf(v: unknown, p: string): Partial<RestartPolicy> {
  const t = text(v, p);
  const m = /^on-failure(?::(\d+))?$/.exec(t);
  if (m) return { condition: 'on-failure', ...(m[1] !== undefined && { maxAttempts: Number(m[1]) }) };
  return { condition: choice(t, p, ['no', 'always', 'unless-stopped', 'on-failure']) === 'no' ? 'none' : 'any' };
}

function updateConfigOf(v: unknown, p: string, field: 'updateConfig' | 'rollbackConfig'): Partial<UpdateConfig> {
  return fieldsOf<UpdateConfig>(mapping(v, p), p, {
    parallelism: ['parallelism', count],
    delayMs: ['delay', duration],
    order: ['order', (x, at) => choice(x, at, ['stop-first', 'start-first'] as const)],
    failureAction: ['failure_action', (x, at) => choice(x, at, failureActions(field))],
    monitorMs: ['monitor', duration],
    maxFailureRatio: ['max_failure_ratio', ratio],
  });
}

/**
 * A service's `deploy` section (and its `restart`, which `deploy.restart_policy` overrides): mode and
 * replicas, placement, resources, restart policy, update and rollback configs, endpoint mode, labels. Pure.
 * @param p the path of the service (`services.web`).
 * @throws UsageError naming the path of a bad value.
 */
export function convertDeploy(service: Readonly<Record<string, unknown>>, p: string): DeployFields {
  const dp = keyPath(p, 'deploy');
  const deploy = mapping(service.deploy, dp);
  const restartPolicy =
    deploy.restart_policy !== undefined
      ? fieldsOf<RestartPolicy>(mapping(deploy.restart_policy, keyPath(dp, 'restart_policy')), keyPath(dp, 'restart_policy'), {
          condition: ['condition', (x, at) => choice(x, at, ['none', 'on-failure', 'any'] as const)],
          delayMs: ['delay', duration],
          maxAttempts: ['max_attempts', count],
          windowMs: ['window', duration],
        })
      : service.restart === undefined
        ? {}
        : restartOf(service.restart, keyPath(p, 'restart'));
  return {
    labels: labels(deploy.labels, keyPath(dp, 'labels')),
    mode: modeOf(deploy, dp),
    placement: placementOf(deploy.placement, keyPath(dp, 'placement')),
    resources: resourcesOf(deploy.resources, keyPath(dp, 'resources')),
    restartPolicy,
    ...(deploy.update_config !== undefined && { updateConfig: updateConfigOf(deploy.update_config, keyPath(dp, 'update_config'), 'updateConfig') }),
    ...(deploy.rollback_config !== undefined && { rollbackConfig: updateConfigOf(deploy.rollback_config, keyPath(dp, 'rollback_config'), 'rollbackConfig') }),
    ...(deploy.endpoint_mode !== undefined && { endpointMode: choice(deploy.endpoint_mode, keyPath(dp, 'endpoint_mode'), ['vip', 'dnsrr'] as const) }),
  };
}
