import { MIN_CERT_LIFETIME_MS, type CertificateAuthority } from '../cluster/ca-contract';
import { clusterCA } from '../cluster/ca-service';
import { OrchError, ValidationError } from '../errors';
import { int, obj, oneOf, opt, type Json } from '../model/check';
import type { ClusterStore } from '../store/contract';
import { updateRetrying } from '../store/update-retrying';
import { DEFAULT_CONSENSUS_SETTINGS } from '../store/replicated-log';
import type { ControlApi } from './contract';

const HOUR = 3600_000;

/** Handlers of the cluster-wide control methods: join tokens, the CA, settings. */
export function clusterHandlers(store: ClusterStore, ca: CertificateAuthority) {
  const JoinToken = async (req: Json): Promise<ControlApi['JoinToken']['res']> => {
    const o = obj(req, 'request');
    const role = oneOf(o.role, 'role', ['worker', 'manager'] as const);
    if (o.rotate === true) {
      await updateRetrying(store, (tx) => {
        const { cluster, ca: current } = clusterCA(store);
        tx.clusters.update({ ...tx.clusters.get(cluster.id)!, ca: ca.rotateToken(current, role) });
      });
    }
    return { token: ca.joinToken(clusterCA(store).ca, role) };
  };

  const CARoot = async (): Promise<ControlApi['CARoot']['res']> => {
    const { ca: current } = clusterCA(store);
    const rootsPem = ca.trustBundle(current);
    if (!current.previousRootCertPem) return { rootsPem };
    const digest = ca.certificateDigest(current.rootCertPem);
    const nodes = store.view((r) => r.nodes.all());
    return { rootsPem, rotation: { renewed: nodes.filter((n) => n.tlsRoot === digest).length, total: nodes.length } };
  };

  const CARotate = async (): Promise<ControlApi['CARotate']['res']> => {
    const { cluster, ca: current } = clusterCA(store);
    if (current.previousRootCertPem) throw new OrchError('conflict', 'a root rotation is already under way: wait until every node has renewed');
    const next = await ca.beginRootRotation(current, new Date());
    await updateRetrying(store, (tx) => {
      const c = tx.clusters.get(cluster.id)!;
      if (c.ca?.rootCertPem !== current.rootCertPem) throw new OrchError('conflict', 'the CA changed meanwhile: try again');
      tx.clusters.update({ ...c, ca: next });
    });
    return {};
  };

  const SwarmUpdate = async (req: Json): Promise<ControlApi['SwarmUpdate']['res']> => {
    const o = obj(req, 'request');
    const certExpiryMs = opt(o.certExpiryMs, 'cert-expiry', (x, f) => int(x, f, MIN_CERT_LIFETIME_MS));
    const dispatcherHeartbeatMs = opt(o.dispatcherHeartbeatMs, 'dispatcher-heartbeat', (x, f) => int(x, f, 100, 24 * HOUR));
    const taskHistoryLimit = opt(o.taskHistoryLimit, 'task-history-limit', (x, f) => int(x, f, 0, 1000));
    const electionTick = opt(o.electionTick, 'election-tick', (x, f) => int(x, f, 2, 1000));
    const heartbeatTick = opt(o.heartbeatTick, 'heartbeat-tick', (x, f) => int(x, f, 1, 999));
    const snapshotInterval = opt(o.snapshotInterval, 'snapshot-interval', (x, f) => int(x, f, 100, 10_000_000));
    const changes = { dispatcherHeartbeatMs, taskHistoryLimit, electionTick, heartbeatTick, snapshotInterval };
    await updateRetrying(store, (tx) => {
      const { cluster, ca: current } = clusterCA(store);
      const c = tx.clusters.get(cluster.id)!;
      const settings = { ...c.settings, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
      const ticks = { election: settings.electionTick ?? DEFAULT_CONSENSUS_SETTINGS.electionTicks, heartbeat: settings.heartbeatTick ?? DEFAULT_CONSENSUS_SETTINGS.heartbeatTicks };
      if (ticks.election <= ticks.heartbeat) {
        throw new ValidationError(electionTick !== undefined ? 'election-tick' : 'heartbeat-tick', `the election tick (${ticks.election}) must be greater than the heartbeat tick (${ticks.heartbeat})`);
      }
      tx.clusters.update({ ...c, settings, ca: certExpiryMs === undefined ? current : { ...current, certLifetimeMs: certExpiryMs } });
    });
    return {};
  };

  return { JoinToken, CARoot, CARotate, SwarmUpdate };
}
