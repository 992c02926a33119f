// The rule book of `sla.policy`: versions only move forward and a later version never reaches back in time.
// It runs in the ledger's append path, so a JSONL line and `attest sla import` obey it alike.
import type { AppendingEvent } from '../ledger/event-types/types.ts';
import { LineError } from '../ledger/line-error.ts';
import type { LedgerReader } from '../ledger/ledger-reader.ts';

export function slaPolicyRule(event: AppendingEvent, ledger: LedgerReader): void {
  const version = event.payload.version as number;
  const effectiveFrom = new Date(String(event.payload.effectiveFrom)).toISOString();
  const latest = ledger
    .ledgerWide('sla.policy')
    .map((recorded) => recorded.payload.version as number)
    .reduce((max, v) => Math.max(max, v), 0);
  if (latest === 0) return;
  if (version <= latest) throw new LineError('version', `must be greater than ${latest}, the latest recorded version`);
  if (effectiveFrom < event.recordedAt) {
    throw new LineError(
      'effectiveFrom',
      `${String(event.payload.effectiveFrom)} is before the time it is recorded (${event.recordedAt}); a new version applies from its effective date on and never rewrites history`,
    );
  }
}
