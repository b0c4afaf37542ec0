import { ValidationError } from '../errors';
import { parseCidr } from '../network/ipv4';
import { noExtraKeys, obj, opt, str, strMap, type Json } from './check';
import { parseObjectName } from './service-spec';
import type { NetworkSpec } from './types';

/** Prefix lengths a network's subnet may have: from a /8 down to a /29 (six task addresses). */
export const SUBNET_PREFIX = { min: 8, max: 29 } as const;

const DRIVER = /^[a-z0-9_.-]+$/;
const CIDR_FORM = 'expected an IPv4 subnet in CIDR form such as 10.1.0.0/24, with no host bits set';

/**
 * Validates an untrusted network spec (e.g. a NetworkCreate payload) and returns it typed: driver
 * `overlay`, no labels and not attachable unless given; `subnet` and `options` only when given.
 * @throws ValidationError naming the first bad field, e.g. `subnet`.
 */
export function parseNetworkSpec(input: Json): NetworkSpec {
  const o = obj(input, 'spec');
  noExtraKeys(o, '', ['name', 'driver', 'labels', 'attachable', 'subnet', 'options']);
  const subnet = opt(o.subnet, 'subnet', parseSubnet);
  const options = opt(o.options, 'options', strMap);
  return {
    name: parseObjectName(o.name, 'network'),
    driver: str(o.driver ?? 'overlay', 'driver', { pattern: DRIVER, expected: 'is not a driver name: expected lower-case letters, digits, "_", "." or "-"' }),
    labels: opt(o.labels, 'labels', strMap) ?? {},
    attachable: opt(o.attachable, 'attachable', bool) ?? false,
    ...(subnet !== undefined && { subnet }),
    ...(options !== undefined && { options }),
  };
}

function bool(v: Json, field: string): boolean {
  if (typeof v !== 'boolean') throw new ValidationError(field, `expected true or false, got ${JSON.stringify(v)}`);
  return v;
}

function parseSubnet(v: Json, field: string): string {
  const text = str(v, field);
  const subnet = parseCidr(text);
  if (!subnet) throw new ValidationError(field, `"${text}" is not a subnet: ${CIDR_FORM}`);
  if (subnet.prefix < SUBNET_PREFIX.min || subnet.prefix > SUBNET_PREFIX.max) {
    throw new ValidationError(field, `"${text}" has a /${subnet.prefix} prefix: expected a prefix from /${SUBNET_PREFIX.min} to /${SUBNET_PREFIX.max}`);
  }
  return text;
}
