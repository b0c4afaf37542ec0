import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Call at the top of a test file: returns a function that makes a fresh temporary directory.
 * All of them are removed after the file's tests.
 */
export function tempDirs(): () => string {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-raft-'));
    made.push(dir);
    return dir;
  };
}
