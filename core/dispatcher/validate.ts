import type { StatusUpdate } from '../agent/contract';
import { InvalidPayload } from '../api/grpc-json';
import { ValidationError } from '../errors';
import { LOG_TIMESTAMP, MAX_LOG_BATCH, MAX_LOG_LINE_CHARS, type LogMessage } from '../logs/contract';
import { arr, bool, int, noExtraKeys, obj, oneOf, opt, str, strMap, type Json } from '../model/check';
import type { LogOptions } from '../runtime/contract';
import { parseIpv4 } from '../network/ipv4';
import { TASK_STATES, stateRank, type TaskState } from '../model/task-state';
import type { NodeDescription, PluginInfo, PortBinding, TaskStatus } from '../model/types';
import type { HeartbeatRequest, ListenLogSubscriptionsRequest, LogSubscriptionMessage, PublishLogsRequest, SessionRequest, UpdateTaskStatusRequest } from './contract';

/**
 * States an agent may report: ACCEPTED and later, except ORPHANED. NEW, PENDING, ASSIGNED and ORPHANED
 * are the managers' to set.
 */
const AGENT_STATES: readonly TaskState[] = TASK_STATES.filter((s) => stateRank(s) >= stateRank('accepted') && s !== 'orphaned');

/** An object with no fields but `known` (some may be missing). The payload itself is `request`; its fields are named bare. */
function fields(v: Json, field: string, known: readonly string[]): Record<string, Json> {
  const o = obj(v, field);
  noExtraKeys(o, field === 'request' ? '' : field, known);
  return o;
}

/** The request of a call, or why it is not JSON. */
function request(v: Json): Json {
  if (v instanceof InvalidPayload) throw new ValidationError('request', `not valid JSON (${v.reason})`);
  return v;
}

const count = (v: Json, field: string) => int(v, field, 0);
const text = (v: Json, field: string) => str(v, field);

function nodeDescription(v: Json, f: string): NodeDescription {
  const o = fields(v, f, ['hostname', 'platform', 'resources', 'engine', 'runtimes', 'plugins']);
  const platform = fields(o.platform, `${f}.platform`, ['os', 'arch']);
  const resources = fields(o.resources, `${f}.resources`, ['nanoCpus', 'memoryBytes']);
  const engine = fields(o.engine, `${f}.engine`, ['version', 'labels']);
  return {
    hostname: str(o.hostname, `${f}.hostname`, { nonEmpty: true }),
    platform: { os: text(platform.os, `${f}.platform.os`), arch: text(platform.arch, `${f}.platform.arch`) },
    resources: { nanoCpus: count(resources.nanoCpus, `${f}.resources.nanoCpus`), memoryBytes: count(resources.memoryBytes, `${f}.resources.memoryBytes`) },
    engine: { version: text(engine.version, `${f}.engine.version`), labels: strMap(engine.labels, `${f}.engine.labels`) },
    runtimes: arr(o.runtimes, `${f}.runtimes`, (x, fx) => str(x, fx, { nonEmpty: true })),
    ...(o.plugins !== undefined && { plugins: boundedArr(o.plugins, `${f}.plugins`, MAX_PLUGINS, pluginInfo) }),
  };
}

/** Most plugins a node may report. */
const MAX_PLUGINS = 256;

function boundedArr<T>(v: Json, f: string, max: number, item: (x: Json, f: string) => T): T[] {
  if (Array.isArray(v) && v.length > max) throw new ValidationError(f, `expected at most ${max} entries, got ${v.length}`);
  return arr(v, f, item);
}

function pluginInfo(v: Json, f: string): PluginInfo {
  const o = fields(v, f, ['name', 'version', 'taps', 'provides']);
  const names = (x: Json, fx: string) => boundedArr(x, fx, MAX_PLUGINS, (n, fn) => str(n, fn, { nonEmpty: true }));
  return { name: str(o.name, `${f}.name`, { nonEmpty: true }), version: text(o.version, `${f}.version`), taps: names(o.taps, `${f}.taps`), provides: names(o.provides, `${f}.provides`) };
}

const portNumber = (v: Json, field: string) => int(v, field, 1, 65535);

function portBinding(v: Json, f: string): PortBinding {
  const o = fields(v, f, ['protocol', 'targetPort', 'hostIp', 'hostPort']);
  const hostIp = str(o.hostIp, `${f}.hostIp`);
  if (parseIpv4(hostIp) === undefined) throw new ValidationError(`${f}.hostIp`, `expected an IPv4 address, got ${JSON.stringify(hostIp)}`);
  return { protocol: oneOf(o.protocol, `${f}.protocol`, ['tcp', 'udp']), targetPort: portNumber(o.targetPort, `${f}.targetPort`), hostIp, hostPort: portNumber(o.hostPort, `${f}.hostPort`) };
}

function taskStatus(v: Json, f: string): TaskStatus {
  const o = fields(v, f, ['state', 'timestamp', 'message', 'err', 'exitCode', 'runtimeId', 'addr', 'ports']);
  const state = o.state;
  if (typeof state !== 'string' || !AGENT_STATES.includes(state as TaskState)) {
    throw new ValidationError(`${f}.state`, `expected a state an agent reports (${AGENT_STATES.join(', ')}), got ${JSON.stringify(state)}`);
  }
  const err = opt(o.err, `${f}.err`, text);
  const exitCode = opt(o.exitCode, `${f}.exitCode`, (x, fx) => int(x, fx, Number.MIN_SAFE_INTEGER));
  const runtimeId = opt(o.runtimeId, `${f}.runtimeId`, text);
  const addr = opt(o.addr, `${f}.addr`, text);
  const ports = opt(o.ports, `${f}.ports`, (x, fx) => arr(x, fx, portBinding));
  return {
    state: state as TaskState,
    timestamp: text(o.timestamp, `${f}.timestamp`),
    message: text(o.message, `${f}.message`),
    ...(err !== undefined && { err }),
    ...(exitCode !== undefined && { exitCode }),
    ...(runtimeId !== undefined && { runtimeId }),
    ...(addr !== undefined && { addr }),
    ...(ports !== undefined && { ports }),
  };
}

function statusUpdate(v: Json, f: string): StatusUpdate {
  const o = fields(v, f, ['taskId', 'status']);
  return { taskId: str(o.taskId, `${f}.taskId`, { nonEmpty: true }), status: taskStatus(o.status, `${f}.status`) };
}

/** Reads a Session request. @throws ValidationError naming the field. */
export function parseSessionRequest(v: Json): SessionRequest {
  const o = fields(request(v), 'request', ['description', 'addr']);
  return { description: nodeDescription(o.description, 'description'), addr: str(o.addr, 'addr', { nonEmpty: true }) };
}

/** Reads an UpdateTaskStatus request. @throws ValidationError naming the field. */
export function parseUpdateTaskStatusRequest(v: Json): UpdateTaskStatusRequest {
  const o = fields(request(v), 'request', ['updates']);
  return { updates: arr(o.updates, 'updates', statusUpdate) };
}

/** Reads a Heartbeat request (an empty object). @throws ValidationError naming the field. */
export function parseHeartbeatRequest(v: Json): HeartbeatRequest {
  fields(request(v), 'request', []);
  return {};
}

/** Reads a ListenLogSubscriptions request (an empty object). @throws ValidationError naming the field. */
export function parseListenLogSubscriptionsRequest(v: Json): ListenLogSubscriptionsRequest {
  fields(request(v), 'request', []);
  return {};
}

const id = (v: Json, field: string) => str(v, field, { nonEmpty: true });

function logMessage(v: Json, f: string): LogMessage {
  const o = fields(v, f, ['taskId', 'stream', 'timestamp', 'text']);
  const text = str(o.text, `${f}.text`);
  if (text.length > MAX_LOG_LINE_CHARS) throw new ValidationError(`${f}.text`, `longer than ${MAX_LOG_LINE_CHARS} characters`);
  return {
    taskId: id(o.taskId, `${f}.taskId`),
    stream: oneOf(o.stream, `${f}.stream`, ['stdout', 'stderr']),
    timestamp: str(o.timestamp, `${f}.timestamp`, { pattern: LOG_TIMESTAMP, expected: 'is not an RFC 3339 time' }),
    text,
  };
}

/**
 * Reads a PublishLogs request: at most MAX_LOG_BATCH lines of at most MAX_LOG_LINE_CHARS each. Whether
 * the caller may publish them is the broker's to judge. @throws ValidationError naming the field.
 */
export function parsePublishLogsRequest(v: Json): PublishLogsRequest {
  const o = fields(request(v), 'request', ['subscriptionId', 'messages', 'close', 'error']);
  const messages = arr(o.messages, 'messages', logMessage);
  if (messages.length > MAX_LOG_BATCH) throw new ValidationError('messages', `more than ${MAX_LOG_BATCH} lines in one batch`);
  const close = opt(o.close, 'close', bool);
  const error = opt(o.error, 'error', text);
  return { subscriptionId: id(o.subscriptionId, 'subscriptionId'), messages, ...(close !== undefined && { close }), ...(error !== undefined && { error }) };
}

function logOptions(v: Json, f: string): LogOptions {
  const o = fields(v, f, ['follow', 'tail', 'sinceMs']);
  const tail = opt(o.tail, `${f}.tail`, count);
  const sinceMs = opt(o.sinceMs, `${f}.sinceMs`, count);
  return { follow: bool(o.follow, `${f}.follow`), ...(tail !== undefined && { tail }), ...(sinceMs !== undefined && { sinceMs }) };
}

/** Reads a message of the ListenLogSubscriptions stream (on the node). @throws ValidationError naming the field. */
export function parseLogSubscription(v: Json): LogSubscriptionMessage {
  const o = fields(request(v), 'subscription', ['id', 'taskIds', 'options', 'close']);
  const close = opt(o.close, 'subscription.close', bool);
  return {
    id: id(o.id, 'subscription.id'),
    taskIds: arr(o.taskIds, 'subscription.taskIds', id),
    options: logOptions(o.options, 'subscription.options'),
    ...(close !== undefined && { close }),
  };
}
