import { userInfo } from 'node:os';
import type { Actor } from '../../../shared/domain.ts';

/** The person at this terminal as the ledger names them while it has no accounts: the operating-system user. */
export function operatingSystemUser(): Actor {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return { kind: 'human', id: `os:${name}` };
}
