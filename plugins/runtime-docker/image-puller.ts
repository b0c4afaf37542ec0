import type Docker from 'dockerode';
import type { TargetPort } from '../../core/runtime/contract';
import { parsePortKey } from './container-config';
import { messageOf, statusOf } from './docker-errors';

/** One line of the engine's pull progress stream. */
interface PullProgress {
  readonly error?: string;
}

/** Pulls images for tasks whose image is not on the engine, one pull per image however many tasks wait for it. */
export class ImagePuller {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly docker: Docker) {}

  /** Whether the engine has `ref` locally. */
  async has(ref: string): Promise<boolean> {
    return (await this.declaredPorts(ref)) !== undefined;
  }

  /** The ports image `ref` declares (EXPOSE); undefined when the engine does not have it. */
  async declaredPorts(ref: string): Promise<TargetPort[] | undefined> {
    try {
      const info = await this.docker.getImage(ref).inspect();
      return Object.keys(info.Config?.ExposedPorts ?? {}).flatMap((key) => parsePortKey(key) ?? []);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /**
   * Pulls `ref`, joining a pull of the same reference already under way.
   * @throws Error `image "<ref>" not found: <why>` when the engine cannot get it.
   */
  pull(ref: string): Promise<void> {
    let pulling = this.inFlight.get(ref);
    if (!pulling) {
      pulling = this.fetch(ref).finally(() => this.inFlight.delete(ref));
      this.inFlight.set(ref, pulling);
    }
    return pulling;
  }

  private async fetch(ref: string): Promise<void> {
    try {
      const stream = await this.docker.pull(ref);
      const progress = await new Promise<PullProgress[]>((resolve, reject) => {
        this.docker.modem.followProgress(stream, (err: unknown, out: PullProgress[]) => (err ? reject(err) : resolve(out)));
      });
      const failed = progress.find((p) => p.error);
      if (failed) throw new Error(failed.error);
    } catch (err) {
      throw new Error(`image "${ref}" not found: ${messageOf(err)}`);
    }
  }
}
