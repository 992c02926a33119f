// A throwaway PostgreSQL cluster for tests: initdb in a temporary folder owned by the `postgres` user (initdb
// refuses root), started with pg_ctl on a free loopback port, listening on 127.0.0.1 only, stopped and removed
// afterwards. Host connections need a password (scram-sha-256), as on a team's own server.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgCluster {
  port: number;
  /** A superuser URL for one database of the cluster (created on demand). */
  superuserUrl(database?: string): string;
  createDatabase(name: string): string;
  /** Runs SQL as the superuser through psql (no client library: the test's own independent path). */
  psql(database: string, sql: string): string;
  stop(): void;
  start(): void;
  remove(): void;
}

const SUPERUSER_PASSWORD = 'test-superuser-secret';

/** The newest PostgreSQL binaries folder Debian installed, or null. */
export function postgresBinaries(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0]!, 'bin') : null;
}

/**
 * Whether PostgreSQL tests can run here. CI (ATTEST_REQUIRE_POSTGRES=1, set by .ci/run) must have it: there a
 * missing server fails the run instead of skipping it.
 */
export function postgresAvailable(): boolean {
  const found = postgresBinaries() !== null;
  if (!found && process.env.ATTEST_REQUIRE_POSTGRES === '1') throw new Error('PostgreSQL is required (ATTEST_REQUIRE_POSTGRES=1) but no /usr/lib/postgresql/*/bin/initdb exists');
  if (!found) console.warn('PostgreSQL tests skipped: no /usr/lib/postgresql/*/bin/initdb here (apt-get install -y postgresql)');
  return found;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

function runAsPostgres(command: string, args: string[], options: { input?: string } = {}): string {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return execFileSync(file, argv, { encoding: 'utf8', input: options.input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('PostgreSQL binaries not found');
  const folder = mkdtempSync(join(tmpdir(), 'attest-pg-'));
  chmodSync(folder, 0o755);
  const data = join(folder, 'data');
  const socketDir = join(folder, 'socket');
  const pwfile = join(folder, 'pw');
  writeFileSync(pwfile, SUPERUSER_PASSWORD);
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', folder]);
  runAsPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--pwfile', pwfile, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8']);
  runAsPostgres('mkdir', ['-p', socketDir]);
  const port = await freePort();
  const start = (): void => {
    runAsPostgres(join(bin, 'pg_ctl'), ['-D', data, '-l', join(folder, 'log'), '-w', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${socketDir} -c fsync=off`, 'start']);
  };
  const stop = (): void => {
    try {
      runAsPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
    } catch {
      // Already stopped.
    }
  };
  start();
  const psql = (database: string, sql: string): string =>
    runAsPostgres(join(bin, 'psql'), ['-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', '-f', '-'], { input: sql });
  const superuserUrl = (database = 'postgres'): string => `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    port,
    superuserUrl,
    createDatabase(name: string): string {
      psql('postgres', `CREATE DATABASE "${name}"`);
      return superuserUrl(name);
    },
    psql,
    stop,
    start,
    remove(): void {
      stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
