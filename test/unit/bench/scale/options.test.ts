import { FULL_SIZE, parseScaleOptions } from '../../../../bench/scale/options';

describe('parseScaleOptions', () => {
  it('defaults to the full size of the issue', () => {
    expect(parseScaleOptions([])).toEqual(FULL_SIZE);
  });

  it('scales services and killed nodes down with a smaller run', () => {
    expect(parseScaleOptions(['--nodes', '100', '--tasks', '5000'])).toEqual({ nodes: 100, tasks: 5000, services: 100, kill: 10, heartbeatMs: 1000, electionTick: 30 });
    expect(parseScaleOptions(['--nodes', '5', '--tasks', '30'])).toEqual({ nodes: 5, tasks: 30, services: 3, kill: 1, heartbeatMs: 1000, electionTick: 30 });
  });

  it('takes explicit services, kill, heartbeat and election tick', () => {
    expect(parseScaleOptions(['--nodes', '50', '--tasks', '2000', '--services', '10', '--kill', '5', '--heartbeat-ms', '500', '--election-tick', '10'])).toEqual({ nodes: 50, tasks: 2000, services: 10, kill: 5, heartbeatMs: 500, electionTick: 10 });
  });

  it('refuses what cannot run, naming the flag', () => {
    expect(() => parseScaleOptions(['--tasks', '5', '--services', '10'])).toThrow('--services 10: more services than tasks');
    expect(() => parseScaleOptions(['--nodes', '3', '--kill', '3'])).toThrow('--kill 3');
    expect(() => parseScaleOptions(['--nodez', '3'])).toThrow('invalid argument --nodez 3');
    expect(() => parseScaleOptions(['--nodes', '-1'])).toThrow('invalid argument --nodes -1');
  });
});
