import pino from 'pino';
import { LeaderTerm } from '../../../core/daemon/leader-term';

describe('LeaderTerm', () => {
  it('runs the leader services once per term, in order, never two sets at once', async () => {
    const events: string[] = [];
    let running = 0;
    let n = 0;
    const term = new LeaderTerm(async () => {
      const k = ++n;
      running++;
      expect(running).toBe(1);
      events.push(`begin ${k}`);
      await new Promise((r) => setTimeout(r, 5));
      return async () => {
        running--;
        events.push(`end ${k}`);
      };
    }, pino({ level: 'silent' }));
    const until = async (event: string) => {
      while (!events.includes(event)) await new Promise((r) => setTimeout(r, 1));
    };
    term.follow(true);
    term.follow(true);
    await until('begin 1');
    term.follow(false);
    term.follow(true);
    await until('begin 2');
    await term.stop();
    expect(events).toEqual(['begin 1', 'end 1', 'begin 2', 'end 2']);
    expect(running).toBe(0);
  });

  it('skips a term that ended before its services could begin', async () => {
    let begun = 0;
    const term = new LeaderTerm(async () => {
      begun++;
      return async () => undefined;
    }, pino({ level: 'silent' }));
    term.follow(true);
    term.follow(false);
    await term.stop();
    expect(begun).toBe(0);
  });

  it('keeps following after a term fails to begin', async () => {
    let tries = 0;
    const term = new LeaderTerm(async () => {
      if (++tries === 1) throw new Error('store unavailable');
      return async () => undefined;
    }, pino({ level: 'silent' }));
    term.follow(true);
    while (tries < 1) await new Promise((r) => setTimeout(r, 1));
    term.follow(false);
    term.follow(true);
    while (tries < 2) await new Promise((r) => setTimeout(r, 1));
    await term.stop();
    expect(tries).toBe(2);
  });
});
