// `npm run checks` (the first step of `npm test`): the type check, the lint and the Electron security scan, side by
// side. Each is mostly one thread; one after another they took 36 s on two cores (tsc 17.7 s, eslint 15.8 s, the scan
// 2.2 s). Each one's output is printed whole when it ends, under its name, so the three never interleave; the run
// fails if any of them fails, and says which.
import { spawn } from 'node:child_process';

const CHECKS: { name: string; script: string }[] = [
  { name: 'type check', script: 'typecheck' },
  { name: 'lint', script: 'lint' },
  { name: 'Electron security scan', script: 'test:lockdown' },
];

interface Finished {
  name: string;
  code: number;
}

function run(check: { name: string; script: string }): Promise<Finished> {
  const started = performance.now();
  return new Promise((resolve) => {
    // npm again, so that each check runs exactly as `npm run <script>` does (PATH with node_modules/.bin first).
    const child = spawn('npm', ['run', '--silent', check.script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    const finish = (code: number): void => {
      const seconds = (performance.now() - started) / 1000;
      const text = Buffer.concat(output).toString('utf8').trimEnd();
      process.stdout.write(`\n── ${check.name} (npm run ${check.script}): ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds.toFixed(1)} s\n${text ? `${text}\n` : ''}`);
      resolve({ name: check.name, code });
    };
    child.once('error', (error) => {
      output.push(Buffer.from(`could not start npm: ${error.message}`));
      finish(1);
    });
    child.once('close', (code, signal) => finish(code ?? (signal ? 1 : 0)));
  });
}

const results = await Promise.all(CHECKS.map(run));
const failed = results.filter((result) => result.code !== 0);
if (failed.length > 0) {
  process.stderr.write(`\nattest: ${failed.map((result) => result.name).join(', ')} failed\n`);
  process.exit(1);
}
