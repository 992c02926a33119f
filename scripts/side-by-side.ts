// Runs two npm scripts at the same time and fails if either fails: `npm test` runs the browser tests beside the crash
// soak. The browser tests go one at a time and keep about one of this machine's two cores busy (a test waits on its
// browser and its console server more than it computes: with two Playwright workers the suite took as long as with
// one); among the unit tests, which keep both cores busy, the soak held one of their two test processes for 250–300 s.
// The first script's output is shown as it comes; the second's too, each line prefixed with the script's name.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

const scripts = process.argv.slice(2);
if (scripts.length !== 2) {
  console.error('usage: node scripts/side-by-side.ts SCRIPT SCRIPT   (two npm scripts, run at the same time)');
  process.exit(2);
}

function prefixLines(from: Readable, to: Writable, prefix: string): void {
  createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(`${prefix}${line}\n`));
}

function run(script: string, prefixed: boolean): Promise<number> {
  const child = spawn('npm', ['run', script], {
    stdio: ['ignore', prefixed ? 'pipe' : 'inherit', prefixed ? 'pipe' : 'inherit'],
    shell: process.platform === 'win32',
  });
  if (prefixed) {
    prefixLines(child.stdout!, process.stdout, `[${script}] `);
    prefixLines(child.stderr!, process.stderr, `[${script}] `);
  }
  return new Promise((resolve) => {
    child.once('error', (error) => {
      console.error(`${script}: could not start: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      if (code !== 0) console.error(`${script}: ${signal ? `killed by ${signal}` : `exited with code ${code}`}`);
      resolve(code ?? 1);
    });
  });
}

const codes = await Promise.all([run(scripts[0]!, false), run(scripts[1]!, true)]);
process.exit(codes.every((code) => code === 0) ? 0 : 1);
