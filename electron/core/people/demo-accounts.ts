// The demo database's accounts. Their passwords are published (attest demo prints them, the sign-in screen of a
// demo shows them) — which is why a demo file is never a ledger of record.
import type { DemoAccount } from '../../../shared/contracts/people.ts';
import type { Db } from '../db/connection.ts';
import { verifyPassword } from './passwords.ts';
import { PeopleRepository } from './people-repository.ts';

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { account: 'admin', display: 'Dana Whitfield', role: 'admin', password: 'harbor-lantern-42' },
  { account: 'mrivera', display: 'Maya Rivera', role: 'supervisor', password: 'copper-meadow-17' },
  { account: 'tokafor', display: 'Tunde Okafor', role: 'supervisor', password: 'silent-orchard-58' },
  { account: 'jlindqvist', display: 'Johanna Lindqvist', role: 'auditor', password: 'amber-glacier-93' },
];

/**
 * Whether a published password matches a stored hash, by account and hash. The answer depends on nothing else (the
 * published password of an account never changes; a changed password is a new hash, hence a new entry), so each pair
 * is checked once per process: the sign-in screen asks at every showing, and `attest serve` once before it prints its
 * address, and each check costs about 0.1 s of processor. Only these published passwords are ever remembered.
 */
const publishedStillWorks = new Map<string, Promise<boolean>>();

function stillPublished(demo: DemoAccount, hash: string): Promise<boolean> {
  const key = `${demo.account}\n${hash}`;
  let answer = publishedStillWorks.get(key);
  if (!answer) {
    answer = verifyPassword(demo.password, hash);
    publishedStillWorks.set(key, answer);
    // A check that failed (not a mismatch: an error) is asked again next time.
    answer.catch(() => publishedStillWorks.delete(key));
  }
  return answer;
}

/**
 * The demo accounts whose password is still the published one (an admin may have changed them). The stored hashes are
 * read at once, before any wait (the file may be closed by the time the checks end); the four scrypt checks, about
 * 0.1 s of processor each, run side by side on libuv's threads rather than one after another.
 */
export async function demoAccountsStillPublished(db: Db): Promise<DemoAccount[]> {
  const repository = new PeopleRepository(db);
  const stored = DEMO_ACCOUNTS.map((demo) => ({ demo, hash: repository.passwordHash(demo.account) }));
  const still = await Promise.all(stored.map(({ demo, hash }) => (hash ? stillPublished(demo, hash) : Promise.resolve(false))));
  return stored.filter((_, i) => still[i]).map(({ demo }) => demo);
}
