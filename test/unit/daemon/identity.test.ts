import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadIdentity, newIdentity, saveIdentity } from '../../../core/daemon/identity';

describe('node identity (node.json)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-identity-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the metrics address across a save and a load, and reads none when absent', () => {
    const file = path.join(dir, 'node.json');
    const id = { ...newIdentity('127.0.0.1', '0.0.0.0:2377'), metricsAddr: '127.0.0.1:9323' };
    saveIdentity(file, id);
    expect(loadIdentity(file)).toEqual(id);
    const { metricsAddr: _, ...without } = id;
    saveIdentity(file, without);
    expect(loadIdentity(file).metricsAddr).toBeUndefined();
  });

  it('refuses a damaged metrics address, naming the field', () => {
    const file = path.join(dir, 'node.json');
    fs.writeFileSync(file, JSON.stringify({ ...newIdentity('127.0.0.1', '0.0.0.0:2377'), metricsAddr: 9323 }));
    expect(() => loadIdentity(file)).toThrow(/damaged: .*metricsAddr/);
  });
});
