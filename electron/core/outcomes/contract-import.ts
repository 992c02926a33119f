// Loads a contract version from its JSON file into the ledger (a `contract.version` event), after validation.
import { InputError } from '../errors.ts';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { recordEvents, type RecordedEvent } from '../derived/record-events.ts';
import { LineError } from '../ledger/line-error.ts';
import { canonicalJson } from '../ledger/hashing.ts';
import { contractSchema, effectiveStartMs, type Contract } from './contract-schema.ts';
import { FIELD_TOO_LONG, NESTED_TOO_DEEP, nestingProblem, oversizedField } from '../files/input-limits.ts';
import { lineOfPath } from './json-lines.ts';
import { JsonSyntaxError, jsonLines } from '../sla/policy-file.ts';
import { OutcomeRepository } from './outcome-repository.ts';

export class ContractError extends InputError {}

export interface ContractImportReport {
  file: string;
  id: string;
  version: number;
  effectiveFrom: string;
  /** false when this exact version was already in the ledger. */
  added: boolean;
  seq: number;
}

/** Validates the text of a contract file; errors name file, line and field. */
export function parseContractText(fileName: string, text: string): Contract {
  // The line finders and validation recurse per level: the depth is checked before any of them runs.
  const deep = nestingProblem(text);
  if (deep) throw new ContractError(`${fileName}:${deep.line}: (contract): ${NESTED_TOO_DEEP}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    let line = 1;
    try {
      jsonLines(text);
    } catch (syntax) {
      if (syntax instanceof JsonSyntaxError) line = syntax.line;
    }
    throw new ContractError(`${fileName}:${line}: not valid JSON (${(error as Error).message})`);
  }
  const oversized = oversizedField(raw);
  if (oversized !== null) throw new ContractError(`${fileName}:${lineOfPath(text, oversized.split('.'))}: ${oversized}: ${FIELD_TOO_LONG}`);
  const parsed = contractSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    const field = path.length ? path.join('.') : '(contract)';
    const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
    throw new ContractError(`${fileName}:${lineOfPath(text, path as (string | number)[])}: ${field}: ${message}`);
  }
  return parsed.data;
}

/** Rules across versions of one contract: history is never rewritten, only extended. */
function checkAgainstHistory(fileName: string, contract: Contract, existing: readonly Contract[]): 'new' | 'same' {
  const same = existing.find((c) => c.version === contract.version);
  if (same) {
    if (canonicalJson(same) === canonicalJson(contract)) return 'same';
    throw new ContractError(
      `${fileName}: version: ${contract.id} version ${contract.version} is already in the ledger with other terms; history is never rewritten — import the change as version ${Math.max(...existing.map((c) => c.version)) + 1}`,
    );
  }
  const latest = existing.reduce<Contract | null>((a, c) => (!a || c.version > a.version ? c : a), null);
  if (!latest) return 'new';
  if (contract.version < latest.version) {
    throw new ContractError(`${fileName}: version: must be greater than ${latest.version}, the latest version of ${contract.id}`);
  }
  if (effectiveStartMs(contract) <= effectiveStartMs(latest)) {
    throw new ContractError(`${fileName}: effectiveFrom: must be after ${latest.effectiveFrom}, when version ${latest.version} took effect`);
  }
  if (contract.currency !== latest.currency) throw new ContractError(`${fileName}: currency: must stay ${latest.currency} across versions of ${contract.id}`);
  if (contract.timezone !== latest.timezone) throw new ContractError(`${fileName}: timezone: must stay ${latest.timezone} across versions of ${contract.id}`);
  return 'new';
}

export function importContract(db: Db, fileName: string, text: string, actor: Actor, at = new Date().toISOString()): ContractImportReport {
  const contract = parseContractText(fileName, text);
  const repository = new OutcomeRepository(db);
  const stored = repository.contractVersions().filter((s) => s.contract.id === contract.id);
  const verdict = checkAgainstHistory(fileName, contract, stored.map((s) => s.contract));
  const base = { file: fileName, id: contract.id, version: contract.version, effectiveFrom: contract.effectiveFrom };
  if (verdict === 'same') return { ...base, added: false, seq: stored.find((s) => s.contract.version === contract.version)!.seq };
  // The file's own fields, as written (defaults are applied when read, not stored).
  // Recorded at `at` (now, unless a caller replays a simulated clock): the rule book judges effectiveFrom against it.
  let recorded: RecordedEvent | undefined;
  try {
    [recorded] = recordEvents(db, [{ ...(JSON.parse(text) as Record<string, unknown>), type: 'contract.version', at, actor }], at);
  } catch (error) {
    // The ledger's rule book (contract-rules.ts) judges what only the append time can tell, e.g. a version
    // effective before it is recorded: report it like every other problem of the file, not as an internal failure.
    if (error instanceof LineError) throw new ContractError(`${fileName}: ${error.field}: ${error.reason}`);
    throw error;
  }
  return { ...base, added: true, seq: recorded!.seq };
}

export function importContractFile(db: Db, path: string, actor: Actor, at?: string): ContractImportReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ContractError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return { ...importContract(db, basename(path), text, actor, at), file: path };
}
