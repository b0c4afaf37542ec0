/**
 * Lists the hot spots of a V8 CPU profile (`.cpuprofile`, as `--cpu-prof` or bench/scale's preload write):
 * self time by function and file, the largest first, as a share of the busy time (all but idle).
 *
 *   node dist/bench/scale/hot-spots.js FILE [TOP]
 */
import * as fs from 'node:fs';
import { tableRow } from '../table';

/** The part of a `.cpuprofile` this reads. */
export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number } }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a frame is, shortened: `core/store/memory-state.js:120`, `node:internal/…`, `(native)`. */
function shortWhere(url: string, line: number): string {
  if (url === '') return '(native)';
  const file = url.replace(/^file:\/\//, '').replace(/^.*\/(dist|node_modules)\//, (_, d: string) => (d === 'node_modules' ? 'node_modules/' : ''));
  return `${file}:${line + 1}`;
}

/**
 * The `top` functions by self time (`where`: file and 1-based line, `percent`: share of the busy time); idle
 * time is left out of the total. Pure.
 */
export function hotSpots(profile: CpuProfile, top = 25) {
  const frameOf = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, { name: string; where: string; us: number }>();
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const f = frameOf.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    if (!f || f.functionName === '(idle)') return;
    busyUs += us;
    const where = shortWhere(f.url, f.lineNumber);
    const key = `${f.functionName}@${where}`;
    const entry = self.get(key) ?? { name: f.functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    self.set(key, entry);
  });
  const spots = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, percent: busyUs > 0 ? (100 * e.us) / busyUs : 0 }));
  return { busyMs: busyUs / 1000, spots };
}

/** The hot spots as table lines. Pure. */
export function formatHotSpots(r: ReturnType<typeof hotSpots>): string[] {
  const rows = r.spots.map((s) => [s.name, s.where, `${s.selfMs.toFixed(0)} ms`, `${s.percent.toFixed(1)} %`]);
  const header = ['function', 'file', 'self', 'of busy'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const left = (cells: readonly string[]) => [cells[0].padEnd(widths[0]), tableRow(cells.slice(1), widths.slice(1))].join('  ');
  return [`busy ${(r.busyMs / 1000).toFixed(1)} s`, left(header), ...rows.map(left)];
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node dist/bench/scale/hot-spots.js FILE.cpuprofile [TOP]');
    process.exit(2);
  }
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  for (const line of formatHotSpots(hotSpots(profile, top ? Number(top) : 25))) console.log(line);
}
