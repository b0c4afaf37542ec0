/**
 * Preloaded into a daemon (`NODE_OPTIONS=--require …/cpu-profile.js`, which takes no `--cpu-prof`): profiles
 * the CPU from start to exit with the inspector and writes `CPU.<pid>.cpuprofile` into `ORCH_CPU_PROF_DIR`
 * (open it in Chrome DevTools or summarize it with `node dist/bench/scale/hot-spots.js FILE`). Only `orch
 * daemon` processes are profiled; the short CLI runs that start them are not.
 */
import * as fs from 'node:fs';
import { Session } from 'node:inspector';
import * as path from 'node:path';

const dir = process.env.ORCH_CPU_PROF_DIR;
if (dir && process.argv.includes('daemon')) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // A same-thread inspector session answers synchronously, so the profile is written before the exit.
  process.on('exit', () => {
    session.post('Profiler.stop', (err, res) => {
      if (!err) fs.writeFileSync(path.join(dir, `CPU.${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
