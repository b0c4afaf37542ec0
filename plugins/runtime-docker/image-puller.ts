import type Docker from 'dockerode';
import { DEFAULT_HEALTH } from '../../core/model/service-spec';
import type { HealthConfig } from '../../core/model/types';
import type { TargetPort } from '../../core/runtime/contract';
import { parsePortKey } from './container-config';
import { messageOf, statusOf } from './docker-errors';

/** What an image declares that orch uses. */
export interface ImageDeclarations {
  readonly ports: readonly TargetPort[];
  readonly healthcheck?: HealthConfig;
}

/** An image's HEALTHCHECK (durations in ns, 0 meaning the default) as orch's health config; undefined for none. */
export function healthConfigOf(h: { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number } | undefined): HealthConfig | undefined {
  if (!h?.Test || h.Test.length === 0 || h.Test[0] === 'NONE') return undefined;
  const ms = (ns: number | undefined, fallback: number) => (ns ? Math.round(ns / 1e6) : fallback);
  return {
    test: h.Test,
    intervalMs: ms(h.Interval, DEFAULT_HEALTH.intervalMs),
    timeoutMs: ms(h.Timeout, DEFAULT_HEALTH.timeoutMs),
    retries: h.Retries || DEFAULT_HEALTH.retries,
    startPeriodMs: ms(h.StartPeriod, DEFAULT_HEALTH.startPeriodMs),
  };
}

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
    return (await this.declared(ref)) !== undefined;
  }

  /** What image `ref` declares: its ports (EXPOSE) and health check; undefined when the engine does not have it. */
  async declared(ref: string): Promise<ImageDeclarations | undefined> {
    try {
      const { Config } = await this.docker.getImage(ref).inspect();
      const healthcheck = healthConfigOf(Config?.Healthcheck);
      return {
        ports: Object.keys(Config?.ExposedPorts ?? {}).flatMap((key) => parsePortKey(key) ?? []),
        ...(healthcheck && { healthcheck }),
      };
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
