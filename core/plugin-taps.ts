import type { HookMap } from 'tapable';
import type { Hooks } from './hooks';

/** A tapable hook or hook map, as far as tap tracking needs it. */
interface Interceptable {
  intercept(interceptor: object): void;
}

function isHookMap(v: unknown): v is HookMap<Interceptable> {
  return typeof v === 'object' && v !== null && typeof (v as { for?: unknown }).for === 'function';
}

/**
 * Calls `onTap` with a hook's path (`scheduler.filter`, `health.check`) each time something taps one of
 * `hooks` (a hook map's hooks count as the map). Installs tapable `register` interceptors; taps pass
 * through unchanged.
 */
export function trackTaps(hooks: Hooks, onTap: (path: string) => void): void {
  for (const [group, members] of Object.entries(hooks)) {
    for (const [name, hook] of Object.entries(members as Record<string, Interceptable>)) {
      const path = `${group}.${name}`;
      const register = (tap: unknown) => {
        onTap(path);
        return tap;
      };
      if (isHookMap(hook)) {
        hook.intercept({
          factory: (_key, h) => {
            h.intercept({ register });
            return h;
          },
        });
      } else hook.intercept({ register });
    }
  }
}
