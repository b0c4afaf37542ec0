import { UsageError } from '../errors';

/** One line of an env file: `KEY=VALUE`, or a bare `KEY` (value undefined). */
export interface EnvLine {
  readonly key: string;
  readonly value?: string;
}

/** A value without the quotes around it, as compose reads `KEY="a b"` or `KEY='a b'`. */
function unquoted(value: string): string {
  const m = /^(["'])([\s\S]*)\1$/.exec(value);
  return m ? m[2] : value;
}

/**
 * Reads an env file (a `.env` file or a service's `env_file`): one `KEY=VALUE` a line, blank lines and
 * `#` comments skipped, an optional `export ` before the key, quotes around a value removed. Pure.
 * @param source what errors name, e.g. `services.web.env_file[0] (app.env)`.
 * @throws UsageError naming `source` and the line.
 */
export function parseEnvFile(text: string, source: string): EnvLine[] {
  const lines: EnvLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const body = line.replace(/^export\s+/, '');
    const at = body.indexOf('=');
    const key = (at < 0 ? body : body.slice(0, at)).trim();
    if (!/^[^\s=]+$/.test(key)) throw new UsageError(source, `line ${i + 1} is not KEY=VALUE: "${line}"`);
    lines.push(at < 0 ? { key } : { key, value: unquoted(body.slice(at + 1).trim()) });
  });
  return lines;
}
