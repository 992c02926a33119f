// Whether approving an AI draft needs the reviewer's electronic signature: a contract version in effect now, whose
// categories include the ticket's, says `requireSignedApproval: true`. Each contract counts by its newest version
// in effect (a version effective only in the future does not bind yet).
import type { Db } from '../db/connection.ts';
import { effectiveStartMs } from './contract-schema.ts';
import { OutcomeRepository } from './outcome-repository.ts';

export function approvalNeedsSignature(db: Db, category: string, nowMs = Date.now()): boolean {
  const inEffect = new Map<string, { version: number; requires: boolean; categories: readonly string[] }>();
  for (const { contract } of new OutcomeRepository(db).contractVersions()) {
    if (effectiveStartMs(contract) > nowMs) continue;
    const current = inEffect.get(contract.id);
    if (current && current.version > contract.version) continue;
    inEffect.set(contract.id, { version: contract.version, requires: contract.requireSignedApproval === true, categories: contract.categories });
  }
  // A contract with no categories covers every category (as in evaluate.ts).
  return [...inEffect.values()].some((contract) => contract.requires && (contract.categories.length === 0 || contract.categories.includes(category)));
}
