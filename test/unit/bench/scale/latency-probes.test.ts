import { parseProbeLine } from '../../../../bench/scale/latency-probes';

describe('parseProbeLine', () => {
  it('reads a timed call, with its error when it failed', () => {
    expect(parseProbeLine('{"call":"service ls","ms":12.5}')).toEqual({ call: 'service ls', ms: 12.5 });
    expect(parseProbeLine('{"call":"service create","ms":60000,"error":"deadline exceeded"}')).toEqual({ call: 'service create', ms: 60000, error: 'deadline exceeded' });
  });

  it('skips lines that are not one', () => {
    expect(parseProbeLine('(node:1) DeprecationWarning: …')).toBeUndefined();
    expect(parseProbeLine('{"call":"service ls"}')).toBeUndefined();
    expect(parseProbeLine('[1,2]')).toBeUndefined();
  });
});
