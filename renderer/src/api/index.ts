import { isPublic } from '../../../shared/permissions.ts';
import { METHOD_NAMES, type AttestApi, type MethodName, type Result } from '../../../shared/contract.ts';
import { createElectronApi } from './electron.ts';
import { createHttpApi } from './http.ts';
import { readToken } from './token.ts';

let instance: AttestApi | null = null;
const signedOutListeners = new Set<() => void>();

/**
 * Called whenever the core answers `unauthenticated` (the session expired, was ended by a lock, or never
 * existed): the console returns to its sign-in screen. Returns the unsubscribe function.
 */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/** Every call passes through here, so no view has to handle a lost session itself. */
function watchSessions(api: AttestApi): AttestApi {
  const watched: Record<string, unknown> = { subscribe: api.subscribe.bind(api) };
  const raw = api as unknown as Record<MethodName, (input?: unknown) => Promise<Result<unknown>>>;
  for (const method of METHOD_NAMES) {
    watched[method] = async (input?: unknown) => {
      const result = await raw[method](input);
      if (!result.ok && result.error.code === 'unauthenticated' && !isPublic(method)) {
        for (const listener of signedOutListeners) listener();
      }
      return result;
    };
  }
  return watched as unknown as AttestApi;
}

/** The one way the console talks to the core, whichever transport is underneath. */
export function getApi(): AttestApi {
  if (instance) return instance;
  const bridge = typeof window !== 'undefined' ? window.attest : undefined;
  instance = watchSessions(bridge ? createElectronApi(bridge) : createHttpApi(readToken()));
  return instance;
}
