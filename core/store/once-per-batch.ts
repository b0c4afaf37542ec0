import type { ChangeEvent } from './contract';

/**
 * `read` remembered per batch of committed changes: every watcher of a commit gets the same events array,
 * so what many watchers derive from one batch (the leader has a watch per node) is worked out once.
 */
export function oncePerBatch<T>(read: (events: readonly ChangeEvent[]) => T): (events: readonly ChangeEvent[]) => T {
  const known = new WeakMap<readonly ChangeEvent[], { readonly value: T }>();
  return (events) => {
    let hit = known.get(events);
    if (!hit) known.set(events, (hit = { value: read(events) }));
    return hit.value;
  };
}
