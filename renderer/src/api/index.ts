import type { AttestApi } from '../../../shared/contract.ts';
import { createElectronApi } from './electron.ts';
import { createHttpApi } from './http.ts';
import { readToken } from './token.ts';

let instance: AttestApi | null = null;

/** The one way the console talks to the core, whichever transport is underneath. */
export function getApi(): AttestApi {
  if (instance) return instance;
  const bridge = typeof window !== 'undefined' ? window.attest : undefined;
  instance = bridge ? createElectronApi(bridge) : createHttpApi(readToken());
  return instance;
}
