// `attest demo` says what it is doing as it goes: the events written on one self-updating line, then each stage on a
// line of its own ending with the seconds it took.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { demoProgressPrinter } from '../../electron/adapters/cli/demo-progress.ts';
import { tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));

describe('demo progress printer', () => {
  it('interleaves the events line and the stages, each stage closed by its own seconds', () => {
    let clock = 0;
    let out = '';
    const printer = demoProgressPrinter((text) => (out += text), () => clock);
    clock = 1500;
    printer.onProgress(50_000);
    clock = 2000;
    printer.onStage({ stage: 'go-live projections', events: 62_345 });
    clock = 14_250;
    printer.onProgress(100_000);
    clock = 16_000;
    printer.onProgress(123_456);
    printer.onStage({ stage: 'projections', events: 123_456, tickets: 7_001, sinceGoLive: true });
    clock = 26_000;
    printer.onStage({ stage: 'knowledge base' });
    clock = 26_400;
    printer.onStage({ stage: 'saving' });
    clock = 27_000;
    printer.finish();
    expect(out).toBe(
      '\r50,000 events written (1.5 s)\n' +
        'go-live: projecting the 62,345 events so far to freeze the KPI baseline… 12.3 s\n' +
        '\r100,000 events written (14.3 s)' +
        '\r123,456 events written (16.0 s)\n' +
        'projecting the 7,001 tickets touched since go-live (123,456 events written)… 10.0 s\n' +
        'importing the knowledge base… 0.4 s\n' +
        'saving the database file… 0.6 s\n',
    );
  });

  it('a demo too short to reach go-live projects all its tickets at the end', () => {
    let out = '';
    const printer = demoProgressPrinter((text) => (out += text), () => 0);
    printer.onProgress(120);
    printer.onStage({ stage: 'projections', events: 120, tickets: 12, sinceGoLive: false });
    printer.finish();
    expect(out).toBe('\r120 events written (0.0 s)\nprojecting the 12 tickets (120 events written)… 0.0 s\n');
  });

  it('attest demo prints the events and every stage on stderr, and its report on stdout', () => {
    const dir = tempDir();
    const run = spawnSync(process.execPath, [BIN, 'demo', '--db', join(dir, 'demo.db'), '--tickets', '300'], {
      encoding: 'utf8',
      env: { ...process.env, ATTEST_HOME: dir },
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stderr.split('\n');
    const events = Number(/^demo: 300 tickets, (\d+) events/.exec(run.stdout)?.[1]);
    expect(events).toBeGreaterThan(3000);
    // 300 tickets fit in one batch, so go-live comes before the first count of events written.
    const stages = lines.map((line) => line.split('\r').at(-1)!);
    expect(stages).toEqual([
      expect.stringMatching(/^go-live: projecting the \d{1,3}(,\d{3})* events so far to freeze the KPI baseline… \d+\.\d s$/),
      expect.stringMatching(/^\d{1,3}(,\d{3})* events written \(\d+\.\d s\)$/),
      expect.stringMatching(/^projecting the \d{1,3}(,\d{3})* tickets touched since go-live \(\d{1,3}(,\d{3})* events written\)… \d+\.\d s$/),
      expect.stringMatching(/^importing the knowledge base… \d+\.\d s$/),
      expect.stringMatching(/^saving the database file… \d+\.\d s$/),
      '',
    ]);
    // Every event is counted once it is written; only the knowledge base's articles come after the projections.
    const counted = (text: string): number => Number(text.replaceAll(',', ''));
    const written = counted(/^([\d,]+) events written/.exec(stages[1]!)![1]!);
    expect(counted(/\(([\d,]+) events written\)/.exec(stages[2]!)![1]!)).toBe(written);
    expect(written).toBeLessThan(events);
    expect(counted(/the ([\d,]+) events so far/.exec(stages[0]!)![1]!)).toBeLessThan(written);
  }, 60_000);
});
