// Test-only launcher of a team console in browser mode, until `attest serve --team URL` is there: opens the core on
// a replica file connected to the team ledger and serves the built console on 127.0.0.1, printing its URL as
// `attest serve` does. Usage: node tests/e2e/support/team-console.ts --db REPLICA.db --team URL [--poll-ms N]
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startHttpBridge } from '../../../electron/adapters/http/server.ts';
import { openCore } from '../../../electron/core/service.ts';

const { values } = parseArgs({ options: { db: { type: 'string' }, team: { type: 'string' }, 'poll-ms': { type: 'string' } } });
if (!values.db || !values.team) throw new Error('usage: team-console.ts --db REPLICA.db --team URL [--poll-ms N]');

const staticDir = fileURLToPath(new URL('../../../dist/renderer/', import.meta.url));
const core = openCore({
  dbPath: values.db,
  mode: 'browser',
  session: { via: 'console' },
  team: { url: values.team, pollEveryMs: values['poll-ms'] ? Number(values['poll-ms']) : undefined },
});
const bridge = await startHttpBridge({ core, staticDir, port: 0 });
process.stdout.write(`Attest console: ${bridge.url}\n`);
const stop = async (): Promise<void> => {
  await bridge.close();
  await core.closeAsync();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
