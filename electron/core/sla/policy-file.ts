// Reading an SLA policy file: JSON syntax and every field checked, errors name the file, line and field;
// importing it records one `sla.policy` ledger event (all or nothing).
import type { z } from 'zod';
import type { SlaImportReport } from '../../../shared/contracts/sla.ts';
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { recordEvents, type RecordedEvent } from '../derived/record-events.ts';
import { ImportError } from '../interchange/jsonl-import.ts';
import { LineError } from '../ledger/line-error.ts';
import { FIELD_TOO_LONG, NESTED_TOO_DEEP, nestingProblem, oversizedField } from '../files/input-limits.ts';
import { policyFileSchema, type PolicyFile } from './policy-schema.ts';

export interface PolicyIssue {
  line: number;
  field: string;
  reason: string;
}

/** An import failure (the console shows it as import_failed) listing every problem found in the file. */
export class PolicyFileError extends ImportError {
  constructor(file: string, issues: readonly PolicyIssue[]) {
    const first = issues[0]!;
    super(file, first.line, first.field, first.reason);
    this.message = issues.map((issue) => `${file}:${issue.line}: ${issue.field}: ${issue.reason}`).join('\n');
  }
}

/** Thrown by jsonLines at the first syntax error, with its line. */
export class JsonSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.line = line;
  }
}

const LITERAL = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

/** Line (1-based) of every value and key in a JSON text, by path ("policies.0.targets"). */
export function jsonLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(line, i < text.length ? `${what}, found ${JSON.stringify(text[i])}` : `${what}, found the end of the file`);
  };
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) {
      if (text[i] === '\n') line++;
      i++;
    }
  };
  const expect = (char: string): void => {
    skip();
    if (text[i] !== char) fail(`expected "${char}"`);
    i++;
  };
  const string = (): string => {
    if (text[i] !== '"') fail('expected a string');
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
    if (text[i] !== '"') fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    skip();
    lines.set(path, line);
    const c = text[i];
    if (c === '{') {
      i++;
      skip();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skip();
        const keyLine = line;
        const key = string();
        const child = path ? `${path}.${key}` : key;
        expect(':');
        value(child);
        lines.set(child, keyLine);
        skip();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail('expected "," or "}"');
      }
    } else if (c === '[') {
      i++;
      skip();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let index = 0; ; index++) {
        value(path ? `${path}.${index}` : String(index));
        skip();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail('expected "," or "]"');
      }
    } else if (c === '"') {
      string();
    } else {
      const start = i;
      while (i < text.length && !/[\s,\]}:]/.test(text[i]!)) i++;
      if (!LITERAL.test(text.slice(start, i))) {
        i = start;
        fail('expected a value');
      }
    }
  };
  value('');
  skip();
  if (i < text.length) fail('expected the end of the file');
  return lines;
}

function lineOf(lines: Map<string, number>, path: readonly PropertyKey[]): number {
  for (let n = path.length; n >= 0; n--) {
    const found = lines.get(path.slice(0, n).map(String).join('.'));
    if (found !== undefined) return found;
  }
  return 1;
}

function describeIssue(lines: Map<string, number>, issue: z.core.$ZodIssue): PolicyIssue {
  if (issue.code === 'unrecognized_keys') {
    const path = [...issue.path, issue.keys[0]!];
    return { line: lineOf(lines, path), field: path.map(String).join('.'), reason: 'unknown field' };
  }
  return { line: lineOf(lines, issue.path), field: issue.path.map(String).join('.') || '(file)', reason: issue.message };
}

/** Parses and validates a policy file's text; throws PolicyFileError naming file, line and field. */
export function parsePolicyFile(fileName: string, text: string): PolicyFile {
  // jsonLines and validation recurse per level: the depth is checked before either runs.
  const deep = nestingProblem(text);
  if (deep) throw new PolicyFileError(fileName, [{ line: deep.line, field: '(file)', reason: NESTED_TOO_DEEP }]);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    let line = 1;
    let reason = (error as Error).message;
    try {
      jsonLines(text);
    } catch (syntax) {
      if (!(syntax instanceof JsonSyntaxError)) throw syntax;
      line = syntax.line;
      reason = syntax.message;
    }
    throw new PolicyFileError(fileName, [{ line, field: '(file)', reason: `not valid JSON: ${reason}` }]);
  }
  const oversized = oversizedField(raw);
  if (oversized !== null) throw new PolicyFileError(fileName, [{ line: lineOf(jsonLines(text), oversized.split('.')), field: oversized, reason: FIELD_TOO_LONG }]);
  const parsed = policyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = jsonLines(text);
    throw new PolicyFileError(fileName, parsed.error.issues.map((issue) => describeIssue(lines, issue)));
  }
  return parsed.data;
}

/**
 * Records a policy file as a new version. Versions only move forward: the version number must grow, and a
 * version that follows another cannot take effect before it is recorded (that would rewrite history). Those
 * rules are the ledger's own (sla/policy-rules.ts, run by the append path), so a JSONL line and this import
 * are judged by the same rule book in the same words; here the refusal is placed on the file's line.
 */
export function importPolicyText(db: Db, fileName: string, text: string, actor: Actor, at = new Date().toISOString()): SlaImportReport {
  const file = parsePolicyFile(fileName, text);
  const raw = JSON.parse(text) as Record<string, unknown>;
  const effectiveFrom = new Date(file.effectiveFrom).toISOString();
  let recorded: RecordedEvent | undefined;
  try {
    [recorded] = recordEvents(db, [{ type: 'sla.policy', at, actor, ...raw }], at);
  } catch (error) {
    if (!(error instanceof LineError)) throw error;
    throw new PolicyFileError(fileName, [{ line: jsonLines(text).get(error.field) ?? 1, field: error.field, reason: error.reason }]);
  }
  if (!recorded!.added) {
    // The very same event (same instant, person and file) is already in the ledger: nothing new was recorded.
    throw new PolicyFileError(fileName, [{ line: jsonLines(text).get('version') ?? 1, field: 'version', reason: `version ${file.version} was already recorded at ${at}` }]);
  }
  return { file: fileName, version: file.version, effectiveFrom, policies: file.policies.length, calendars: Object.keys(file.calendars).length, seq: recorded!.seq };
}
