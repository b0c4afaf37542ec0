import { Option, type Command } from 'commander';

/** Option value collector for repeatable flags (`--env A=1 --env B=2` → `['A=1', 'B=2']`). */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

/** Every command without subcommands below `cmd`. */
function leaves(cmd: Command): Command[] {
  return cmd.commands.length === 0 ? [cmd] : cmd.commands.flatMap(leaves);
}

/**
 * Lets every leaf command take the global `--data-dir` after its own name too (`orch service ls
 * --data-dir D` as well as `orch --data-dir D service ls`). The copy is hidden from help, which shows
 * the global option.
 */
export function acceptDataDirEverywhere(program: Command): void {
  for (const leaf of leaves(program)) {
    if (leaf !== program) leaf.addOption(new Option('--data-dir <dir>').hideHelp());
  }
}
