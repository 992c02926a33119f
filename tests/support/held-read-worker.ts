// The console's read thread (read-worker.ts), with some reads held: every request named in ATTEST_TEST_HELD_READ_NAMES
// (comma-separated) is answered only once the test says "release" on the BroadcastChannel named by
// ATTEST_TEST_HELD_READS, and is announced there ("held") when it arrives. Requests are handled in arrival order, one
// after another, as the real thread does with its synchronous reads, so a held report keeps everything behind it on
// this thread waiting — as a report that takes seconds at a million tickets does. Only tests point the core here
// (setReadWorkerUrl).
import { BroadcastChannel, parentPort } from 'node:worker_threads';

const heldNames = new Set((process.env.ATTEST_TEST_HELD_READ_NAMES ?? '').split(',').filter(Boolean));
const channel = new BroadcastChannel(process.env.ATTEST_TEST_HELD_READS ?? 'attest-held-reads');
channel.unref();
let released = false;
const release = new Promise<void>((resolve) => {
  channel.onmessage = (message) => {
    if ((message as { data?: unknown }).data === 'release') {
      released = true;
      resolve();
    }
  };
});
const port = parentPort!;
const listen = port.on.bind(port);
let turn: Promise<void> = Promise.resolve();
port.on = ((event: string, listener: (value: unknown) => void) => {
  if (event !== 'message') return listen(event, listener);
  return listen('message', (request: unknown) => {
    turn = turn.then(async () => {
      const name = (request as { name?: unknown } | null)?.name;
      if (typeof name === 'string' && heldNames.has(name) && !released) {
        channel.postMessage({ held: name });
        await release;
      }
      listener(request);
    });
  });
}) as typeof port.on;

await import('../../electron/core/handlers/read-worker.ts');
