// The auditor screen's methods (issue 12, item 7): stored checkpoints and their cosignatures, a seeded sample of
// billed tickets, review notes recorded as events, who signed what, receipts and packs to carry away.
// The session gap report (audit.gaps) lives in shared/contracts/audit.ts.
import { z } from 'zod';
import type { StatementLine } from './outcomes.ts';
import type { SignatureRow } from './people.ts';

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month "YYYY-MM"');
const contractId = z.string().min(1).max(100).optional();
const ticket = z.string().min(1).max(200);
/** A seed an auditor can write down and type again: letters, digits and a few separators. */
const seed = z.string().trim().min(1, 'give a seed').max(100).regex(/^[A-Za-z0-9._:@-]+$/, 'letters, digits and . _ : @ - only');
const sampleSize = z.number().int().min(1).max(1000);

export const AUDIT_VERDICTS = ['ok', 'finding'] as const;
export type AuditVerdict = (typeof AUDIT_VERDICTS)[number];

/** A cosignature of a stored checkpoint (`checkpoint.cosigned`): a buyer's auditor signed the same tree head. */
export interface CosignatureRow {
  seq: number;
  at: string;
  checkpointSeq: number;
  treeSize: number;
  /** The cosigner's verifier key (name+hexid+base64). */
  cosigner: string;
  /** The cosigner's name (the verifier key's first part). */
  name: string;
  /** Unix seconds the cosigner signed at. */
  timestamp: number;
}

/** A signed checkpoint the ledger stored, with the cosignatures recorded for it. */
export interface CheckpointRow {
  seq: number;
  at: string;
  origin: string;
  treeSize: number;
  /** Base64 of the Merkle root of events #1..treeSize. */
  rootHash: string;
  /** The installation key that signed it (verifier key). */
  key: string;
  cosignatures: CosignatureRow[];
}

/** One drawn ticket: its statement line and the key it was ordered by. */
export interface SampleLine {
  /** SHA-256 (hex) of the UTF-8 bytes of `${seed}:${ticket}`; the sample is the lines with the smallest keys. */
  key: string;
  line: StatementLine;
}

export interface AuditSample {
  period: string;
  contract: string;
  seed: string;
  size: number;
  /** How many billed lines the statement has (what was drawn from). */
  population: number;
  /** The rule, in words, so the draw can be repeated by hand. */
  rule: string;
  /** Whether the period's statement is issued (the sample is then of a closed document). */
  issued: boolean;
  lines: SampleLine[];
}

/** A review note an auditor recorded (`audit.note`). */
export interface AuditNoteRow {
  seq: number;
  at: string;
  ticket: string;
  period: string;
  contract: string;
  sample: { seed: string; size: number };
  verdict: AuditVerdict;
  note: string;
  /** Actor id ("acct:<name>" or "os:<user>") and printed name. */
  by: string;
  byName: string | null;
}

export interface PackExportResult {
  /** The folder the pack was written to (under the user-data folder's packs/). */
  dir: string;
  /** How many files it holds (manifest.json and manifest.sig included). */
  files: number;
  /** The pack's checkpoint: events #1..treeSize are in it. */
  treeSize: number;
  statements: number;
  /** Files this installation could not include (e.g. attest-verify.mjs missing from its resources). */
  missing: string[];
}

export const auditConsoleInputs = {
  'audit.checkpoints': z.object({}).strict().default({}),
  'audit.sample': z.object({ period, contract: contractId, size: sampleSize, seed }).strict(),
  'audit.note': z
    .object({
      ticket,
      period,
      contract: contractId,
      sample: z.object({ seed, size: sampleSize }).strict(),
      verdict: z.enum(AUDIT_VERDICTS),
      note: z.string().trim().min(1, 'write the note').max(4000),
    })
    .strict(),
  'audit.notes': z.object({ period: period.optional() }).strict().default({}),
  'audit.signatures': z.object({}).strict().default({}),
  'audit.receipt': z.object({ ticket, contract: contractId }).strict(),
  'audit.exportPack': z.object({ period: period.optional(), contract: contractId }).strict().default({}),
} as const;

export interface AuditConsoleOutputs {
  'audit.checkpoints': CheckpointRow[];
  'audit.sample': AuditSample;
  'audit.note': AuditNoteRow;
  'audit.notes': AuditNoteRow[];
  'audit.signatures': SignatureRow[];
  /** The receipt file's text (JSON) and a file name to save it under. */
  'audit.receipt': { fileName: string; text: string };
  'audit.exportPack': PackExportResult;
}
