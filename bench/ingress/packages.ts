/** Installing the Debian packages the benchmark runs when their commands are missing. */
import { execFileSync, spawnSync } from 'node:child_process';

/** Whether `command` is on PATH. */
function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs, with apt-get and quietly, the Debian package of every command in `packages` (command →
 * package) that is not on PATH, saying so on stderr.
 */
export function ensureDebianPackages(packages: Readonly<Record<string, string>>): void {
  const missing = Object.entries(packages).filter(([command]) => !onPath(command)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  console.error(`installing Debian packages ${missing.join(', ')} (apt-get install -y)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_SUSPEND: '1' };
  execFileSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}
