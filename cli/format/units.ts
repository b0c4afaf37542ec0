import { UsageError } from '../errors';

/**
 * Parsers of the unit-bearing values flags take, as docker writes them. Each returns the value in the
 * unit orch stores and throws a UsageError naming `flag` when the text is not such a value.
 */

/** A count such as a number of replicas: digits only. */
export function parseCount(text: string, flag: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(flag, `expected a non-negative integer, got "${text}"`);
  return n;
}

const BYTE_UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * A size in bytes as docker's `--memory` reads it: a number and an optional binary unit
 * (`b`, `k`, `m`, `g`, `t`, `p`, any case, optionally followed by `b` or `ib`): `512m`, `1g`, `1.5GiB`, `1024`.
 */
export function parseBytes(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?) ?([kmgtp]?)(?:i?b)?$/i.exec(text);
  const bytes = m ? Math.floor(Number(m[1]) * BYTE_UNITS[m[2].toLowerCase()]) : NaN;
  if (!Number.isSafeInteger(bytes)) throw new UsageError(flag, `expected a size such as 512m, 1g, 100k or 1024b, got "${text}"`);
  return bytes;
}

/** A number of CPUs as a decimal (`0.5`, `2`), returned in nano-CPUs (1e9 per CPU) as docker counts them. */
export function parseNanoCpus(text: string, flag: string): number {
  const nano = /^(\d+(\.\d{0,9})?|\.\d{1,9})$/.test(text) ? Math.round(Number(text) * 1e9) : NaN;
  if (!Number.isSafeInteger(nano)) throw new UsageError(flag, `expected a number of CPUs such as 0.5 or 2, got "${text}"`);
  return nano;
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration as Go writes them (docker's `--restart-delay`): one or more number-unit pairs with units
 * `ns`, `us`, `ms`, `s`, `m`, `h` (`500ms`, `5s`, `1m30s`, `1.5h`), or a bare `0`. Returned in whole
 * milliseconds (rounded).
 */
export function parseDurationMs(text: string, flag: string): number {
  if (text === '0') return 0;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let ms = 0;
  let matched = 0;
  for (let m = part.exec(text); m; m = part.exec(text)) {
    ms += Number(m[1]) * DURATION_UNITS_MS[m[2]];
    matched = part.lastIndex;
  }
  if (matched === 0 || matched !== text.length || !Number.isFinite(ms)) {
    throw new UsageError(flag, `expected a duration such as 500ms, 5s, 1m30s or 1h, got "${text}"`);
  }
  return Math.round(ms);
}
