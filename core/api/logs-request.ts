import { bool, int, noExtraKeys, obj, opt, str, type Json } from '../model/check';
import type { ServiceLogsQuery } from '../logs/service-logs';

/**
 * Checks a `ServiceLogs` request (see ServiceLogsRequest). Pure.
 * @throws ValidationError naming the field: `ref` (missing or empty), `follow` (not a boolean), `tail`
 * and `sinceMs` (not an integer >= 0), or an unknown field
 */
export function parseServiceLogsRequest(req: Json): ServiceLogsQuery {
  const o = obj(req, 'request');
  noExtraKeys(o, '', ['ref', 'follow', 'tail', 'sinceMs']);
  const tail = opt(o.tail, 'tail', (v, f) => int(v, f, 0));
  const sinceMs = opt(o.sinceMs, 'sinceMs', (v, f) => int(v, f, 0));
  return {
    ref: str(o.ref, 'ref', { nonEmpty: true }),
    follow: opt(o.follow, 'follow', bool) ?? false,
    ...(tail !== undefined && { tail }),
    ...(sinceMs !== undefined && { sinceMs }),
  };
}
