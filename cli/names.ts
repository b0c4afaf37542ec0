import { randomBytes } from 'node:crypto';

const ADJECTIVES = [
  'admiring', 'bold', 'brave', 'calm', 'clever', 'eager', 'elegant', 'focused', 'gallant', 'happy',
  'jolly', 'keen', 'kind', 'lucid', 'nifty', 'quirky', 'serene', 'sharp', 'stoic', 'vibrant',
];
const NOUNS = [
  'babbage', 'curie', 'darwin', 'euclid', 'fermi', 'galileo', 'hopper', 'hypatia', 'kepler', 'lamport',
  'lovelace', 'noether', 'pascal', 'ritchie', 'shannon', 'tesla', 'thompson', 'torvalds', 'turing', 'wozniak',
];

/** A name for a service created without `--name`, docker-style: `adjective_noun` (e.g. `serene_lovelace`). */
export function randomServiceName(random: () => number = Math.random): string {
  const pick = (words: readonly string[]) => words[Math.floor(random() * words.length)];
  return `${pick(ADJECTIVES)}_${pick(NOUNS)}`;
}

/** A name for a volume created without one, as docker makes it: 64 random hex digits. */
export function randomVolumeName(): string {
  return randomBytes(32).toString('hex');
}
