// Every contract method, fed thousands of hostile inputs over the real HTTP bridge (127.0.0.1) and through the
// Electron IPC adapter (a fake ipcMain event from the console's frame), against a real core on a real SQLite file:
// no crash, every answer a Result with a known error code and a message, never "internal", and a refused call
// leaves every row of the database as it was.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { contractInputs, METHOD_NAMES, type MethodName } from '../../shared/contract.ts';
import { startHttpBridge } from '../../electron/adapters/http/server.ts';
import { registerCoreIpc, methodChannel, type IpcInvokeEventLike, type IpcMainLike } from '../../electron/adapters/ipc/register-ipc.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { openCore } from '../../electron/core/service.ts';
import { CaseCounter, databaseDigest, FUZZ_SEED, fuzzRuns } from './fuzz-kit.ts';
import { smallLedgerWithConsole } from './helpers.ts';

const counter = new CaseCounter();
afterAll(() => console.log(counter.report('contract methods over HTTP and IPC')));

const ERROR_CODES = ['invalid_input', 'not_found', 'forbidden', 'unauthenticated', 'import_failed', 'unknown_method', 'busy', 'offline', 'conflict'];

/** Text an attacker would try: markup, scripts, bidi overrides, control characters, path and prototype tricks. */
export const HOSTILE_TEXT = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\u202Eevil\u202C',
  '\u2066\u2067\u2068\u2069\u200F',
  '\u0000\u0001\u0007\u001b[31m\u007f',
  '=HYPERLINK("http://x","y")',
  '@SUM(1+1)',
  '-2+3+cmd|\' /C calc\'!A0',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '__proto__',
  'constructor',
  '\uD800',
  '\uFFFF\uFFFE',
  '9'.repeat(400),
  'x'.repeat(70_000),
  '2026-13-45T99:99:99Z',
  'T-1',
  '',
  ' ',
];

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_TEXT), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, -1, 0, 2 ** 53, -(2 ** 31), 1e308),
  fc.array(hostileString, { maxLength: 4 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);

/** An object nested `depth` levels deep, built without recursion. */
function nested(depth: number, key: string): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { [key]: value };
  return value;
}

function fieldsOf(method: MethodName): string[] {
  const schema = contractInputs[method] as unknown as { shape?: Record<string, unknown>; _zod?: { def?: { shape?: Record<string, unknown> } } };
  return Object.keys(schema.shape ?? schema._zod?.def?.shape ?? {});
}

/** Inputs for one method: anything at all, the method's own fields with hostile values, and very deep nesting. */
function inputsFor(method: MethodName): fc.Arbitrary<unknown> {
  const fields = fieldsOf(method);
  const shaped = fields.length
    ? fc.record(Object.fromEntries(fields.map((f) => [f, hostileValue])), { requiredKeys: [] })
    : fc.dictionary(hostileString, hostileValue, { maxKeys: 2 });
  return fc.oneof(
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3, maxKeys: 4 }) },
    { weight: 3, arbitrary: shaped },
    { weight: 1, arbitrary: fc.integer({ min: 65, max: 3000 }).map((depth) => ({ [fields[0] ?? 'x']: nested(depth, fields[1] ?? 'y') })) },
  );
}

/** JSON can only carry what JSON.stringify keeps; the IPC path gets the same value as the HTTP path. */
function asJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

function checkAnswer(method: string, input: unknown, answer: unknown): void {
  const where = `${method} ${JSON.stringify(input)?.slice(0, 200)}`;
  expect(typeof answer, where).toBe('object');
  const result = answer as { ok: boolean; error?: { code: string; message: string } };
  if (result.ok) return;
  expect(ERROR_CODES, `${where} → ${JSON.stringify(result.error)}`).toContain(result.error?.code);
  expect(typeof result.error?.message, where).toBe('string');
  expect(result.error!.message.length, where).toBeGreaterThan(0);
}

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

/**
 * The database digest, recomputed only when another connection committed since the last one (SQLite's
 * data_version says so): most fuzz cases commit nothing, and hashing every row each time would dominate.
 */
class DigestCache {
  private version = -1;
  private value = '';
  private readonly db: ReturnType<typeof openDatabase>;
  constructor(db: ReturnType<typeof openDatabase>) {
    this.db = db;
  }
  digest(): string {
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (version !== this.version) {
      this.version = version;
      this.value = databaseDigest(this.db);
    }
    return this.value;
  }
}

const CONSOLE_URL = 'app://attest/index.html';

async function fixture() {
  const { path, staticDir } = smallLedgerWithConsole();
  // Admin in single-user mode: every method is allowed, so every input reaches validation and the handlers.
  const core = openCore({ dbPath: path, role: 'admin' });
  const reader = openDatabase(path, { readonly: true });
  return { core, path, staticDir, reader };
}

describe('contract fuzz: every method, hostile input, HTTP and IPC', () => {
  it('answers every hostile input with a Result and a known error code, and a refused call changes nothing', async () => {
    const { core, staticDir, reader } = await fixture();
    const bridge = await startHttpBridge({ core, staticDir });
    const ipc = new FakeIpcMain();
    registerCoreIpc(ipc, core, (url) => url === CONSOLE_URL);
    const event: IpcInvokeEventLike = { senderFrame: { url: CONSOLE_URL } } as IpcInvokeEventLike;
    const database = new DigestCache(reader);
    // The detector itself: a committed change must show in the digest, or the "unchanged" checks prove nothing.
    const start = database.digest();
    const added = await core.invoke('import.jsonl', { fileName: 'one.jsonl', text: '{"ticket":"FZ-1","type":"csat","at":"2026-10-05T09:00:00Z","score":3}\n' });
    expect(added).toMatchObject({ ok: true, value: { eventsAdded: 1 } });
    expect(database.digest()).not.toBe(start);
    const perMethod = fuzzRuns(30);
    try {
      for (const method of METHOD_NAMES) {
        await fc.assert(
          fc.asyncProperty(inputsFor(method), fc.boolean(), async (raw, viaHttp) => {
            const input = asJson(raw);
            const before = database.digest();
            let answer: unknown;
            if (viaHttp) {
              const response = await fetch(`http://127.0.0.1:${bridge.port}/api/rpc/${encodeURIComponent(method)}`, {
                method: 'POST',
                headers: { 'Content-Type': 'application/json', 'X-Attest-Token': bridge.token },
                body: input === undefined ? '' : JSON.stringify(input),
              });
              expect(response.status, method).toBe(200);
              answer = await response.json();
            } else {
              answer = await ipc.handlers.get(methodChannel(method))!(event, input);
            }
            checkAnswer(method, input, answer);
            if (!(answer as { ok: boolean }).ok) expect(database.digest(), `${method} refused but changed the database`).toBe(before);
            counter.add(viaHttp ? 'http' : 'ipc');
          }),
          { numRuns: perMethod, seed: FUZZ_SEED },
        );
      }
    } finally {
      await bridge.close();
      core.close();
      reader.close();
    }
    expect(counter.total()).toBe(perMethod * METHOD_NAMES.length);
  }, 120_000);
});
