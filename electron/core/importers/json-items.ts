// Streams the records out of Zendesk JSON files with stream-json's tokenizer, fed synchronously:
// an incremental-export page ({"tickets":[…],"next_page":…}) yields each element of its record arrays
// one at a time; a file of one object per line (admin full export) yields each object. Only one record
// is ever assembled in memory.
import { Assembler } from 'stream-json/core/assembler.js';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { FIELD_TOO_LONG, MAX_FIELD_BYTES, MAX_NESTING_DEPTH, NESTED_TOO_DEEP } from '../files/input-limits.ts';
import { encodingProblem, type ChunkedFileReader } from './file-reader.ts';
import { FieldError } from './import-types.ts';

/** Top-level arrays whose elements are records: streamed one by one. */
export const RECORD_ARRAYS = ['tickets', 'ticket_events', 'audits', 'users'] as const;
export type RecordArray = (typeof RECORD_ARRAYS)[number];

export interface JsonRecord {
  /** 'ticket' for a line-per-ticket file or a top-level array; otherwise the page array it came from. */
  kind: RecordArray;
  line: number;
  value: unknown;
}

type Many = { values: Token[] };

/** stream-chain's "no value" marker (a registered symbol); passing it to the tokenizer flushes it. */
const none: unique symbol = Symbol.for('object-stream.none') as never;

export function* readJsonRecords(reader: ChunkedFileReader): Generator<JsonRecord> {
  // Strings and keys are streamed as well as packed: the limits see a long string grow chunk by chunk and stop
  // it past the field limit, before the tokenizer has buffered much more of it.
  const tokenize = jsonParser({ packValues: true, streamValues: false, streamStrings: true, streamKeys: true, jsonStreaming: true }) as unknown as (
    input: string | typeof none,
  ) => Many | typeof none;
  const router = new RecordRouter();
  const limits = new TokenLimits();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let first = true;

  const feed = (text: string | typeof none): void => {
    let result: Many | typeof none;
    try {
      result = tokenize(text);
    } catch (error) {
      // Flushing the end of the input fails only when the text stops inside a value.
      if (text === none) throw new FieldError(line, '(json)', 'the file ends in the middle of a JSON value (truncated?)');
      throw new FieldError(line, '(json)', `invalid JSON: ${(error as Error).message}`);
    }
    if (result !== none) for (const token of result.values) if (limits.pass(token, line)) router.consume(token, line);
  };

  for (const chunk of reader.chunks()) {
    if (first) {
      const problem = encodingProblem(chunk);
      if (problem) throw new FieldError(1, '(file)', problem);
      first = false;
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new FieldError(line, '(file)', 'not valid UTF-8 text; save the export as UTF-8');
    }
    // Fed line by line so every record and error knows its line.
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      feed(text.slice(start, newline + 1));
      yield* router.ready.splice(0);
      line++;
      start = newline + 1;
    }
    if (start < text.length) feed(text.slice(start));
    yield* router.ready.splice(0);
  }
  try {
    decoder.decode();
  } catch {
    throw new FieldError(line, '(file)', 'the file ends in the middle of a UTF-8 character');
  }
  feed(none);
  if (router.open) throw new FieldError(line, '(json)', 'the file ends in the middle of a JSON value (truncated?)');
  if (!router.sawValue) throw new FieldError(1, '(json)', 'the file holds no JSON');
  yield* router.ready.splice(0);
}

/** Refuses nesting past MAX_NESTING_DEPTH and strings past the field limit; lets the packed tokens through. */
class TokenLimits {
  private depth = 0;
  /** UTF-8 bytes of the string being streamed so far. */
  private bytes = 0;
  private lastKey = '(json)';

  /** false for the streamed string pieces, which only the limits look at. */
  pass(token: Token, line: number): boolean {
    switch (token.name) {
      case 'startObject':
      case 'startArray':
        if (++this.depth > MAX_NESTING_DEPTH) throw new FieldError(line, this.lastKey, NESTED_TOO_DEEP);
        return true;
      case 'endObject':
      case 'endArray':
        this.depth--;
        return true;
      case 'startString':
      case 'startKey':
      case 'endString':
      case 'endKey':
        this.bytes = 0;
        return false;
      case 'stringChunk':
        // Counted piece by piece: the check never joins the pieces itself.
        this.bytes += Buffer.byteLength(token.value, 'utf8');
        if (this.bytes > MAX_FIELD_BYTES) throw new FieldError(line, this.lastKey, FIELD_TOO_LONG);
        return false;
      case 'keyValue':
        this.lastKey = token.value;
        return true;
      default:
        return true;
    }
  }
}

/** Splits the token stream into records; see readJsonRecords. */
class RecordRouter {
  readonly ready: JsonRecord[] = [];
  sawValue = false;
  /** Nesting depth outside the assembler: 0 top level, 1 inside a page object, 2 inside a record array. */
  private depth = 0;
  private asm: Assembler | null = null;
  private asmKind: RecordArray | 'top' | 'pageValue' = 'top';
  private asmLine = 0;
  private pageKey: string | null = null;
  private arrayKind: RecordArray | null = null;
  private top: Record<string, unknown> | null = null;
  private topLine = 0;
  private topHadArrays = false;
  private topIsArray = false;

  get open(): boolean {
    return this.depth > 0 || this.asm !== null;
  }

  consume(token: Token, line: number): void {
    if (this.asm) {
      this.asm.consume(token);
      if (this.asm.done) this.finishAssembly();
      return;
    }
    const starts = token.name === 'startObject' || token.name === 'startArray';
    if (this.depth === 0) {
      this.sawValue = true;
      if (token.name === 'startObject') {
        this.depth = 1;
        this.top = {};
        this.topLine = line;
        this.topHadArrays = false;
        this.topIsArray = false;
      } else if (token.name === 'startArray') {
        // A plain array of tickets.
        this.depth = 2;
        this.topIsArray = true;
        this.arrayKind = 'tickets';
      } else {
        throw new FieldError(line, '(json)', 'expected a JSON object (a ticket or an export page)');
      }
      return;
    }
    if (this.depth === 1) {
      if (token.name === 'keyValue') {
        this.pageKey = token.value;
      } else if (token.name === 'endObject') {
        this.depth = 0;
        if (!this.topHadArrays) this.ready.push({ kind: 'tickets', line: this.topLine, value: this.top });
        this.top = null;
      } else if (token.name === 'startArray' && (RECORD_ARRAYS as readonly string[]).includes(this.pageKey ?? '') && this.isPageKey()) {
        this.depth = 2;
        this.topHadArrays = true;
        this.arrayKind = this.pageKey as RecordArray;
      } else {
        this.startAssembly(token, 'pageValue', line);
      }
      return;
    }
    // depth 2: inside a record array
    if (token.name === 'endArray') {
      this.depth = this.topIsArray ? 0 : 1;
      this.topIsArray = false;
      this.arrayKind = null;
      return;
    }
    if (!starts) throw new FieldError(line, `${this.arrayKind}[]`, 'each element must be a JSON object');
    this.startAssembly(token, this.arrayKind!, line);
  }

  /** A "tickets" array inside a ticket object (it has an id) would be data, not a page: only page keys stream. */
  private isPageKey(): boolean {
    return !(this.top && 'id' in this.top);
  }

  private startAssembly(token: Token, kind: RecordArray | 'pageValue', line: number): void {
    this.asm = new Assembler();
    this.asmKind = kind;
    this.asmLine = line;
    this.asm.consume(token);
    if (this.asm.done) this.finishAssembly();
  }

  private finishAssembly(): void {
    const value = this.asm!.current;
    this.asm = null;
    if (this.asmKind === 'pageValue') {
      if (this.top && this.pageKey !== null) this.top[this.pageKey] = value;
      this.pageKey = null;
    } else {
      this.ready.push({ kind: this.asmKind as RecordArray, line: this.asmLine, value });
    }
  }
}
