/** The path of a key below `path` in a compose document (`services` + `web` → `services.web`). */
export function keyPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** The path of an item of the list at `path` (`services.web.ports`, 0 → `services.web.ports[0]`). */
export function itemPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** Whether `v` is a YAML mapping read into a plain object. */
export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
