/** The task containers of a service on the local Docker engine. */
import Docker from 'dockerode';

const engine = new Docker();

/** How many containers, in any state, carry label `key=value` (e.g. a service's name). */
export async function countContainers(key: string, value: string): Promise<number> {
  return (await engine.listContainers({ all: true, filters: { label: [`${key}=${value}`] } })).length;
}
