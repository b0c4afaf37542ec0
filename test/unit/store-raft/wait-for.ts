/** Polls `cond` every 5 ms until it holds; throws once `ms` pass without it. */
export async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  for (const start = Date.now(); !cond(); await new Promise((r) => setTimeout(r, 5))) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
  }
}
