// Where the files shipped in resources/ (demo contract, SLA policies, knowledge base) are found.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let resourcesDirOverride: string | undefined;

/** The Electron main process points here: the packaged app keeps resources/ outside its code bundle. */
export function setResourcesDir(dir: string): void {
  resourcesDirOverride = dir;
}

export function resourcePath(...segments: string[]): string {
  return join(resourcesDirOverride ?? fileURLToPath(new URL('../../resources/', import.meta.url)), ...segments);
}
