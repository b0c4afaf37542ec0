import { UsageError } from './errors';

/** A `KEY=VALUE` flag value; `value` is undefined when the text has no `=`. */
export interface KeyValue {
  readonly key: string;
  readonly value?: string;
}

/** Splits `KEY=VALUE` (or a bare `KEY`) at the first `=`; the key must not be empty. */
export function parseKeyValue(text: string, flag: string): KeyValue {
  const at = text.indexOf('=');
  const key = at < 0 ? text : text.slice(0, at);
  if (key.trim() === '') throw new UsageError(flag, `"${text}" is not KEY=VALUE: the key is empty`);
  return at < 0 ? { key } : { key, value: text.slice(at + 1) };
}

/** Labels from `KEY=VALUE` or bare `KEY` (empty value) entries, as docker's `--label` takes them. */
export function parseLabels(entries: readonly string[], flag: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const e of entries) {
    const { key, value } = parseKeyValue(e, flag);
    labels[key] = value ?? '';
  }
  return labels;
}
