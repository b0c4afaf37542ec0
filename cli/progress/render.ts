import type { Output } from '../context';
import type { ProgressLine } from './model';

/** Shows successive progress views. */
export interface ProgressRenderer {
  show(lines: readonly ProgressLine[]): void;
}

/** ANSI: move the cursor up `n` lines; clear the line; clear to the end of the screen. */
const up = (n: number) => (n > 0 ? `\x1b[${n}A` : '');
const CLEAR_LINE = '\x1b[2K';
const CLEAR_BELOW = '\x1b[J';

/**
 * On a terminal, redraws the display in place; elsewhere (a pipe, a file), prints a line only when its
 * text changed since it was last printed.
 */
export function progressRenderer(out: Output): ProgressRenderer {
  if (out.isTTY) {
    let drawn = 0;
    return {
      show(lines) {
        out.write(up(drawn) + lines.map((l) => `${CLEAR_LINE}${l.text}\n`).join('') + CLEAR_BELOW);
        drawn = lines.length;
      },
    };
  }
  const printed = new Map<string, string>();
  return {
    show(lines) {
      const changed = lines.filter((l) => printed.get(l.key) !== l.text);
      for (const l of changed) printed.set(l.key, l.text);
      if (changed.length > 0) out.write(changed.map((l) => `${l.text}\n`).join(''));
    },
  };
}
