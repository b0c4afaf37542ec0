import { UsageError } from './errors';
import { parseDurationMs } from './format/units';

/** RFC 3339 and its shorter forms docker takes: a date, optionally a time (minutes, seconds, fraction), optionally a zone. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Unix seconds, optionally with a fraction. */
const UNIX_SECONDS = /^\d+(\.\d{1,9})?$/;

/**
 * Reads a time flag value (`--since`, `--until`) as docker's `events` does, and returns it as an ISO time:
 * - a duration such as `10m`, `1h30m` or `90s`, meaning that long before `now`;
 * - an RFC 3339 time (`2026-11-24T10:00:00Z`, `2026-11-24T10:00:00.5+01:00`) or a shorter form of it
 *   (`2026-11-24`, `2026-11-24T10:00`), in local time when it names no zone;
 * - Unix seconds (`1700000000`, `1700000000.25`).
 * @throws UsageError about `flag` for anything else
 */
export function parseTimeFlag(value: string, flag: string, now: Date): string {
  const ago = durationMs(value);
  const ms = ago !== undefined ? now.getTime() - ago : (timestampMs(value) ?? unixMs(value));
  if (ms === undefined || Number.isNaN(new Date(ms).getTime())) {
    throw new UsageError(flag, `"${value}" is not a time: expected an RFC 3339 time (2026-11-24T10:00:00Z), Unix seconds, or a duration before now such as 10m`);
  }
  return new Date(ms).toISOString();
}

/** A Go duration, optionally signed (`-5m` is in the future), in milliseconds; undefined when `text` is not one. */
function durationMs(text: string): number | undefined {
  const sign = /^[-+]/.test(text) ? text[0] : '';
  try {
    const ms = parseDurationMs(text.slice(sign.length), 'duration');
    return sign === '-' ? -ms : ms;
  } catch {
    return undefined;
  }
}

/** An RFC 3339 (or shorter) time in epoch milliseconds, or undefined when `text` is not one or names no real date. */
function timestampMs(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3))] as const;
  const utc = new Date(Date.UTC(...fields));
  // A date that rolled over (February 30, hour 25) is not a real one.
  const read = [utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds()];
  if (read.some((v, i) => v !== fields[i])) return undefined;
  if (zone === undefined) return new Date(...fields).getTime();
  if (zone.toUpperCase() === 'Z') return utc.getTime();
  const [, sign, zh, zm] = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  return utc.getTime() - (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm)) * 60_000;
}

/** Unix seconds in epoch milliseconds, or undefined when `text` is not a number of seconds. */
function unixMs(text: string): number | undefined {
  return UNIX_SECONDS.test(text) ? Math.round(Number(text) * 1000) : undefined;
}
