import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The IPv4 addresses of an interface with a /32 prefix: the ones this driver added (its own subnet address is wider). */
export async function hostAddresses(iface: string): Promise<string[]> {
  const { stdout } = await run('ip', ['-4', '-o', 'addr', 'show', 'dev', iface]);
  return [...stdout.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\/32/g)].map((m) => m[1]);
}

/** Adds `addr/32` to an interface; an address it already has is fine (another node on the engine added it). */
export async function addAddress(iface: string, addr: string): Promise<void> {
  try {
    await run('ip', ['addr', 'add', `${addr}/32`, 'dev', iface]);
  } catch (err) {
    if (!/File exists/.test((err as { stderr?: string }).stderr ?? '')) throw describe(err, `add ${addr} to ${iface}`);
  }
}

/** Removes `addr/32` from an interface; one already gone is fine. */
export async function removeAddress(iface: string, addr: string): Promise<void> {
  try {
    await run('ip', ['addr', 'del', `${addr}/32`, 'dev', iface]);
  } catch (err) {
    if (!/Cannot assign requested address|Cannot find device/.test((err as { stderr?: string }).stderr ?? '')) throw describe(err, `remove ${addr} from ${iface}`);
  }
}

function describe(err: unknown, what: string): Error {
  const e = err as { code?: string; stderr?: string; message: string };
  if (e.code === 'ENOENT') return new Error(`cannot ${what}: the "ip" command (iproute2) is not installed`);
  return new Error(`cannot ${what}: ${(e.stderr ?? e.message).trim()}`);
}
