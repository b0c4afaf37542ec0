import { parseSessionRequest } from '../../../core/dispatcher/validate';
import { makeNode } from '../../../core/testing/builders';
import type { Json } from '../../../core/model/check';

const description = (plugins: unknown) => ({ ...makeNode('n').description, plugins }) as unknown as Json;

describe('a session request\'s node description', () => {
  it('carries the plugins the node loaded', () => {
    const plugins = [{ name: 'scheduler-spread', version: '0.1.0', taps: ['scheduler.score'], provides: ['Scheduler'] }];
    expect(parseSessionRequest({ description: description(plugins), addr: '10.0.0.1' }).description.plugins).toEqual(plugins);
  });

  it('refuses a bad plugin entry, naming it, and too many', () => {
    expect(() => parseSessionRequest({ description: description([{ name: 'x', version: '1', taps: 'all', provides: [] }]), addr: 'a' })).toThrow('description.plugins[0].taps');
    expect(() => parseSessionRequest({ description: description([{ name: '', version: '1', taps: [], provides: [] }]), addr: 'a' })).toThrow('description.plugins[0].name');
    const many = Array.from({ length: 300 }, (_, i) => ({ name: `p${i}`, version: '1', taps: [], provides: [] }));
    expect(() => parseSessionRequest({ description: description(many), addr: 'a' })).toThrow('description.plugins: expected at most 256 entries, got 300');
  });
});
