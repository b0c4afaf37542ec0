import type { Labels } from '../../core/model/types';
import type { RuntimeDescription } from '../../core/runtime/contract';

/** The fields of Docker's `GET /info` that describe a node. */
export interface EngineInfo {
  readonly NCPU: number;
  readonly MemTotal: number;
  readonly OSType: string;
  readonly Architecture: string;
  readonly ServerVersion: string;
  readonly Labels?: readonly string[] | null;
}

/** Kernel machine names (`uname -m`) to the Go-style names platform constraints use. */
const GO_ARCH: Readonly<Record<string, string>> = {
  x86_64: 'amd64',
  aarch64: 'arm64',
  armv7l: 'arm',
  i386: '386',
  i686: '386',
};

/** Engine labels, given as `key=value` strings, as a map; a label without `=` has an empty value. */
function parseEngineLabels(labels: readonly string[]): Labels {
  return Object.fromEntries(
    labels.map((label) => {
      const eq = label.indexOf('=');
      return eq < 0 ? [label, ''] : [label.slice(0, eq), label.slice(eq + 1)];
    }),
  );
}

/** A node description from the engine's info and the machine's hostname. */
export function describeEngine(info: EngineInfo, hostname: string): RuntimeDescription {
  return {
    hostname,
    platform: { os: info.OSType, arch: GO_ARCH[info.Architecture] ?? info.Architecture },
    resources: { nanoCpus: info.NCPU * 1e9, memoryBytes: info.MemTotal },
    engine: { version: info.ServerVersion, labels: parseEngineLabels(info.Labels ?? []) },
  };
}
