/**
 * The value of an unlabelled sample `name` in Prometheus text exposition (`name 42`, `name{} 42`);
 * undefined when the text has none. Pure.
 */
export function metricValue(text: string, name: string): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{\})?\s+(\S+)/.exec(line);
    if (m && m[1] === name) return Number(m[2]);
  }
  return undefined;
}

/** A reading of a counter at a time (ms since the epoch). */
export interface CounterSample {
  readonly at: number;
  readonly value: number;
}

/**
 * The rate of a counter while it moved: the rise from the last sample before it first rose to the first
 * sample at its final value, over the time between them (per second); 0 when it never rose. Pure.
 */
export function activeRate(samples: readonly CounterSample[]): number {
  if (samples.length < 2) return 0;
  const firstRise = samples.findIndex((s, i) => i > 0 && s.value > samples[i - 1].value);
  if (firstRise < 0) return 0;
  const last = samples[samples.length - 1].value;
  const done = samples.findIndex((s) => s.value === last);
  const from = samples[firstRise - 1];
  const to = samples[done];
  return to.at > from.at ? ((to.value - from.value) * 1000) / (to.at - from.at) : 0;
}
