import type { Operation } from '../../sim/lincheck/history';
import type { KvInput, KvOutput } from '../../sim/lincheck/kv-model';

/** A key-value operation, as the tests write histories. */
export type KvOp = Operation<KvInput, KvOutput>;

/** A put called at `call`; returned at `ret`, or never if it is absent. */
export function put(client: number, key: string, value: string, call: number, ret?: number): KvOp {
  const input: KvInput = { op: 'put', key, value };
  return ret === undefined ? { client, input, call } : { client, input, call, output: {}, return: ret };
}

/** A get called at `call` that returned `value` (undefined: the key was absent) at `ret`. */
export function get(client: number, key: string, value: string | undefined, call: number, ret: number): KvOp {
  return { client, input: { op: 'get', key }, call, output: value === undefined ? {} : { value }, return: ret };
}

/** A compare-and-set called at `call` that returned `ok` at `ret`, or never returned if both are undefined. */
export function cas(client: number, key: string, expect: string | undefined, value: string, call: number, ok?: boolean, ret?: number): KvOp {
  const input: KvInput = { op: 'cas', key, expect, value };
  return ok === undefined || ret === undefined ? { client, input, call } : { client, input, call, output: { ok }, return: ret };
}
