import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { OrchError } from '../../core/errors';
import { UsageError } from '../errors';
import { checkKeys, type KeyProblem } from './compose-schema';
import { parseEnvFile } from './dotenv';
import { interpolate, type Lookup } from './interpolate';
import { mergeCompose } from './merge';
import { isMapping } from './paths';

/** Reads a text file; undefined when it does not exist. */
export type ReadText = (file: string) => string | undefined;

/** Where compose files are read from and variables take their values. */
export interface LoadContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly read: ReadText;
}

/** The compose files of a deploy, read, interpolated, key-checked and merged into one document. */
export interface LoadedCompose {
  readonly config: Readonly<Record<string, unknown>>;
  /** The first file's directory: relative paths (bind sources, env files) are resolved against it. */
  readonly workingDir: string;
  /** The environment plus the `.env` file beside the first compose file (the environment wins). */
  readonly lookup: Lookup;
  /** Paths of keys ignored as docker ignores them (`services.web.build`). */
  readonly ignored: readonly string[];
  /** Variables read while unset (as an empty string). */
  readonly unset: readonly string[];
}

/** One file's YAML as a mapping. @throws UsageError naming the file and the line of a syntax error. */
function parseYaml(text: string, file: string): Record<string, unknown> {
  const doc = parseDocument(text, { merge: true });
  const [first] = doc.errors;
  if (first) throw new UsageError(file, first.message.split('\n')[0]);
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (!isMapping(value)) throw new UsageError(file, `expected a compose file (a mapping with "services"), got ${value === null ? 'an empty file' : Array.isArray(value) ? 'a list' : `a ${typeof value}`}`);
  return value;
}

/** The problems of all files as one error: every path at fault, with why. */
function problemsError(problems: readonly (KeyProblem & { readonly file: string })[]): UsageError {
  const files = [...new Set(problems.map((p) => p.file))].join(', ');
  if (problems.length === 1) return new UsageError(problems[0].path, `${problems[0].reason} (in ${files})`);
  return new UsageError(files, `${problems.length} keys cannot be deployed:\n${problems.map((p) => `  ${p.path}: ${p.reason}`).join('\n')}`);
}

/**
 * Reads the compose files of `stack deploy -c A -c B…` and merges them, later over earlier. Each file is
 * interpolated (from the environment and a `.env` file beside the first file) and its keys checked
 * before anything is merged; every refused or unknown key of every file is reported in one error.
 * @throws OrchError when a file cannot be read, UsageError when one is invalid.
 */
export function loadCompose(files: readonly string[], ctx: LoadContext): LoadedCompose {
  const paths = files.map((f) => path.resolve(ctx.cwd, f));
  const workingDir = path.dirname(paths[0]);
  const dotenvText = ctx.read(path.join(workingDir, '.env'));
  const dotenv = new Map((dotenvText === undefined ? [] : parseEnvFile(dotenvText, '.env')).map((l) => [l.key, l.value ?? '']));
  const lookup: Lookup = (name) => ctx.env[name] ?? dotenv.get(name);
  const ignored: string[] = [];
  const unset = new Set<string>();
  const problems: (KeyProblem & { file: string })[] = [];
  const docs = paths.map((p, i) => {
    const text = ctx.read(p);
    if (text === undefined) throw new OrchError('not-found', `cannot read compose file ${files[i]}: no such file`);
    const doc = interpolate(parseYaml(text, files[i]), lookup);
    doc.unset.forEach((v) => unset.add(v));
    const keys = checkKeys(doc.value);
    ignored.push(...keys.ignored.filter((k) => !ignored.includes(k)));
    problems.push(...keys.problems.map((k) => ({ ...k, file: files[i] })));
    return doc.value as Record<string, unknown>;
  });
  if (problems.length > 0) throw problemsError(problems);
  return { config: docs.reduce((a, b) => mergeCompose(a, b)), workingDir, lookup, ignored, unset: [...unset] };
}
