import * as v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { processSemiSpaceMb, withSemiSpace } from '../../../core/util/worker-young-generation';

/** A worker that fills its young generation, then reports the size of its new space (MB) and exits. */
const FILL = `
const v8 = require('node:v8');
const keep = [];
for (let i = 0; i < 3e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 2e5) keep.length = 0; }
const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
require('node:worker_threads').parentPort.postMessage(space.space_size / 1048576);
`;

function newSpaceMb(worker: Worker): Promise<number> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

describe('processSemiSpaceMb', () => {
  it('reads the last --max-semi-space-size among the flags, 0 without one', () => {
    expect(processSemiSpaceMb(['--max-semi-space-size=32'])).toBe(32);
    expect(processSemiSpaceMb(['--max_semi_space_size=8', '--inspect', '--max-semi-space-size=16'])).toBe(16);
    expect(processSemiSpaceMb(['--max-old-space-size=4096'])).toBe(0);
  });
});

describe('withSemiSpace', () => {
  afterAll(() => v8.setFlagsFromString(`--max-semi-space-size=${processSemiSpaceMb()}`));

  it('gives the worker a small young generation, then sets the process\'s back for later workers', async () => {
    // As in a daemon started with --max-semi-space-size=32.
    const small = withSemiSpace(2, () => new Worker(FILL, { eval: true }), 32);
    expect(await newSpaceMb(small)).toBeLessThanOrEqual(4);
    expect(await newSpaceMb(new Worker(FILL, { eval: true }))).toBeGreaterThan(32);
  }, 30_000);
});
