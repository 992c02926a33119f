// Two consoles on one team ledger (issue 13): a JSONL import in one shows in the other's queue without a reload
// (the replica pulls on NOTIFY, the core pushes `ledger.changed` over SSE, the queue refetches), and when the
// PostgreSQL server stops both say they are offline and since when.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { initTeam } from '../../electron/core/team/team-admin.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { expect, test } from './fixtures.ts';
import { QueuePage } from './pages/QueuePage.ts';
import { TeamBanner } from './pages/TeamBanner.ts';

const cli = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const URL_PATTERN = /(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_\-.~%]+)/;
const WRITER_PASSWORD = 'live-writer-secret';

/** A console on its own replica file, connected to the team ledger; resolves to its URL once it serves. */
function startTeamConsole(dbPath: string, teamUrl: string, children: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, [cli, 'serve', '--db', dbPath, '--team', teamUrl, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the team console printed no URL\n${output}`)), 30_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = URL_PATTERN.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`the team console exited with ${code}\n${output}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Opens the console and waits until its event stream is connected (what it is told before that, it never hears). */
async function openLive(page: Page, url: string): Promise<QueuePage> {
  const queue = new QueuePage(page);
  const stream = page.waitForResponse((response) => response.url().includes('/api/events') && response.status() === 200);
  await queue.open(url);
  await stream;
  return queue;
}

const created = (ticket: string, minute: number) =>
  JSON.stringify({ ticket, type: 'created', at: `2026-10-04T09:${String(minute).padStart(2, '0')}:00Z`, channel: 'chat', priority: 'high', category: 'billing', subject: `Team live ${ticket}`, requester: 'live@example.com' });

test.use({ account: null });

test('a write in one console shows in the other within 2 s, and both say when the team server is gone', async ({ page, context, workDir }) => {
  test.skip(!postgresAvailable(), 'PostgreSQL is not installed here');
  let cluster: PgCluster | null = null;
  const children: ChildProcess[] = [];
  try {
    cluster = await startPgCluster();
    await initTeam(cluster.createDatabase('live'), { writerPassword: WRITER_PASSWORD });
    const teamUrl = `postgres://attest_writer:${WRITER_PASSWORD}@127.0.0.1:${cluster.port}/live`;
    const [urlA, urlB] = await Promise.all([startTeamConsole(join(workDir, 'a.db'), teamUrl, children), startTeamConsole(join(workDir, 'b.db'), teamUrl, children)]);

    const pageB = await context.newPage();
    const queueA = await openLive(page, urlA);
    const queueB = await openLive(pageB, urlB);
    const bannerA = new TeamBanner(page);
    const bannerB = new TeamBanner(pageB);
    await bannerA.expectOnline();
    await bannerB.expectOnline();
    expect(await queueB.settledTotal()).toBe(0);

    await queueA.importFile('team.jsonl', [created('LIVE-1', 1), created('LIVE-2', 2)].join('\n') + '\n');
    await expect(queueA.importReport).toBeVisible();
    // B never reloads: its replica pulls on NOTIFY and its queue refetches on the pushed ledger.changed.
    await expect(queueB.row('LIVE-1')).toBeVisible({ timeout: 2_000 });
    await expect(queueB.row('LIVE-2')).toBeVisible();
    await expect(bannerB.banner).toContainText('in step at #');

    cluster.stop();
    await bannerA.expectOffline();
    await bannerB.expectOffline();
    // Still readable: the queue keeps its rows from the replica.
    await expect(queueB.row('LIVE-1')).toBeVisible();
  } finally {
    await Promise.all(children.map(stopChild));
    cluster?.remove();
  }
});
