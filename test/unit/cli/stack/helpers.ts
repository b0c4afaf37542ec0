import { loadCompose, type LoadedCompose } from '../../../../cli/stack/compose-load';
import { convertStack, type DesiredStack } from '../../../../cli/stack/convert-stack';

/** Compose files in memory, by absolute path (the project lives in /proj). */
export type Files = Readonly<Record<string, string>>;

export interface LoadOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** Further files: `.env`, env files… */
  readonly files?: Files;
}

/** Loads `yamls` as /proj/a.yml, /proj/b.yml… (later over earlier). */
export function load(yamls: string | readonly string[], o: LoadOptions = {}): LoadedCompose {
  const list = typeof yamls === 'string' ? [yamls] : yamls;
  const names = list.map((_, i) => `${String.fromCharCode(97 + i)}.yml`);
  const files: Files = { ...Object.fromEntries(names.map((n, i) => [`/proj/${n}`, list[i]])), ...o.files };
  return loadCompose(names, { cwd: '/proj', env: o.env ?? {}, read: (p) => files[p] });
}

/** Loads and converts `yamls` as stack `app`. */
export function convert(yamls: string | readonly string[], o: LoadOptions = {}): DesiredStack {
  return convertStack('app', load(yamls, o), { home: '/home/u', read: (p) => o.files?.[p] });
}

/** The message `fn` throws. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}
