// Electron transport: the preload script exposes `window.attest` with one function per contract method
// plus `subscribe`. We wrap it so a rejected IPC call still comes back as a Result.
import { METHOD_NAMES, type AttestApi, type CoreEventName, type CoreEvents } from '../../../shared/contract.ts';
import { describeThrown, failure } from './errors.ts';

declare global {
  interface Window {
    attest?: AttestApi;
  }
}

export function createElectronApi(bridge: AttestApi): AttestApi {
  const api: Record<string, unknown> = {};
  const raw = bridge as unknown as Record<string, (input: unknown) => Promise<unknown>>;
  for (const method of METHOD_NAMES) {
    api[method] = async (input?: unknown) => {
      const fn = raw[method];
      if (typeof fn !== 'function') return failure('unknown_method', `${method} is not exposed by the preload bridge`);
      try {
        return await fn(input ?? {});
      } catch (err) {
        return failure('internal', `${method}: ${describeThrown(err)}`);
      }
    };
  }
  api.subscribe = <E extends CoreEventName>(event: E, listener: (payload: CoreEvents[E]) => void) =>
    bridge.subscribe(event, listener);
  return api as AttestApi;
}
