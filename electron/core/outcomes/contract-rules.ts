// The rule book of `contract.version`: a contract's history is only ever extended, never rewritten.
// It runs in the ledger's append path, so a JSONL line, the console and `attest contract import` obey it alike.
import type { AppendingEvent } from '../ledger/event-types/types.ts';
import { LineError } from '../ledger/line-error.ts';
import type { LedgerReader } from '../ledger/ledger-reader.ts';
import { canonicalJson } from '../ledger/hashing.ts';
import { contractSchema, effectiveStartMs, type Contract } from './contract-schema.ts';

function recordedVersions(ledger: LedgerReader, id: string): Contract[] {
  return ledger
    .ledgerWide('contract.version')
    .map((event) => contractSchema.parse(event.payload))
    .filter((contract) => contract.id === id);
}

export function contractVersionRule(event: AppendingEvent, ledger: LedgerReader): void {
  const contract = contractSchema.parse(event.payload);
  const existing = recordedVersions(ledger, contract.id);
  if (existing.some((c) => c.version === contract.version)) {
    // An exact repeat never reaches the rules (it is a duplicate); this is the same version with other terms.
    const same = existing.find((c) => c.version === contract.version)!;
    if (canonicalJson(same) !== canonicalJson(contract)) {
      const next = Math.max(...existing.map((c) => c.version)) + 1;
      throw new LineError('version', `${contract.id} version ${contract.version} is already in the ledger with other terms; history is never rewritten — record the change as version ${next}`);
    }
  }
  const latest = existing.reduce<Contract | null>((a, c) => (!a || c.version > a.version ? c : a), null);
  if (!latest) return;
  if (contract.version <= latest.version) throw new LineError('version', `must be greater than ${latest.version}, the latest version of ${contract.id}`);
  if (effectiveStartMs(contract) <= effectiveStartMs(latest)) {
    throw new LineError('effectiveFrom', `must be after ${latest.effectiveFrom}, when version ${latest.version} took effect`);
  }
  // A later version cannot reach back before it was recorded: that would re-price what was already billed.
  if (effectiveStartMs(contract) < Date.parse(event.recordedAt)) {
    throw new LineError('effectiveFrom', `${contract.effectiveFrom} (${contract.timezone}) is before the version is recorded (${event.recordedAt}); a new version applies from its effective date on and never rewrites history`);
  }
  if (contract.currency !== latest.currency) throw new LineError('currency', `must stay ${latest.currency} across versions of ${contract.id}`);
  if (contract.timezone !== latest.timezone) throw new LineError('timezone', `must stay ${latest.timezone} across versions of ${contract.id}`);
}
