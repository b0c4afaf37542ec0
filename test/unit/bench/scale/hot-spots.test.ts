import { formatHotSpots, hotSpots, type CpuProfile } from '../../../../bench/scale/hot-spots';

const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber });

/** Node 1 idle, 2 a store function, 3 native, 4 a library function; samples with their time deltas (µs). */
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(idle)', '', -1) },
    { id: 2, callFrame: frame('apply', 'file:///repo/dist/core/store/memory-state.js', 52) },
    { id: 3, callFrame: frame('(garbage collector)', '', -1) },
    { id: 4, callFrame: frame('', 'file:///repo/node_modules/node-forge/lib/jsbn.js', 9) },
  ],
  samples: [1, 2, 2, 3, 4, 1],
  timeDeltas: [5000, 3000, 3000, 2000, 2000, 5000],
};

describe('hotSpots', () => {
  it('sums self time per function, largest first, as a share of the busy time', () => {
    const r = hotSpots(PROFILE);
    expect(r.busyMs).toBe(10);
    expect(r.spots).toEqual([
      { name: 'apply', where: 'core/store/memory-state.js:53', selfMs: 6, percent: 60 },
      { name: '(garbage collector)', where: '(native)', selfMs: 2, percent: 20 },
      { name: '(anonymous)', where: 'node_modules/node-forge/lib/jsbn.js:10', selfMs: 2, percent: 20 },
    ]);
  });

  it('keeps the top ones and prints them as a table', () => {
    const lines = formatHotSpots(hotSpots(PROFILE, 1));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('busy 0.0 s');
    expect(lines[2]).toMatch(/^apply\s+core\/store\/memory-state\.js:53\s+6 ms\s+60\.0 %$/);
  });
});
