import * as fs from 'node:fs';
import { OrchError } from '../errors';
import { newId } from '../model/ids';
import { obj, oneOf, opt, str, strMap } from '../model/check';

/** Who this node is, kept in `node.json` in its data dir. */
export interface NodeIdentity {
  readonly nodeId: string;
  readonly clusterId: string;
  readonly role: 'manager' | 'worker';
  readonly advertiseAddr: string;
  readonly listenAddr: string;
  /** The manager (`host:port`) this node joined through (absent on the node that founded the cluster). */
  readonly managerAddr?: string;
  /** Engine labels given at join (`--label`), merged over the runtime's own. */
  readonly engineLabels: Readonly<Record<string, string>>;
  /** Where the daemon serves Prometheus metrics (`host:port`, `--metrics-addr`); none when absent. */
  readonly metricsAddr?: string;
}

/** Makes a new identity for `swarm init`. */
export function newIdentity(advertiseAddr: string, listenAddr: string): NodeIdentity {
  return { nodeId: newId(), clusterId: newId(), role: 'manager', advertiseAddr, listenAddr, engineLabels: {} };
}

/** Writes the identity atomically (temp file, fsync, rename). */
export function saveIdentity(file: string, id: NodeIdentity): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(id, null, 2) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/**
 * Reads the identity of an existing node.
 * @throws OrchError when there is none (the node was never initialised) or the file is damaged.
 */
export function loadIdentity(file: string): NodeIdentity {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new OrchError('not-found', `this node is not part of a swarm (no ${file}): run "orch swarm init" first`);
  }
  try {
    const o = obj(JSON.parse(text), 'node.json');
    return {
      nodeId: str(o.nodeId, 'nodeId', { nonEmpty: true }),
      clusterId: str(o.clusterId, 'clusterId', { nonEmpty: true }),
      role: oneOf(o.role, 'role', ['manager', 'worker'] as const),
      advertiseAddr: str(o.advertiseAddr, 'advertiseAddr'),
      listenAddr: str(o.listenAddr, 'listenAddr'),
      managerAddr: opt(o.managerAddr, 'managerAddr', (x, f) => str(x, f, { nonEmpty: true })),
      engineLabels: opt(o.engineLabels, 'engineLabels', strMap) ?? {},
      metricsAddr: opt(o.metricsAddr, 'metricsAddr', (x, f) => str(x, f, { nonEmpty: true })),
    };
  } catch (err) {
    throw new OrchError('internal', `${file} is damaged: ${(err as Error).message}`);
  }
}
