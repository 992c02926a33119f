// The console's chain status never lies, in either direction: a change made after the file was opened is found by
// "Verify now" (no cached verdict), events appended by another process are re-read and counted, a full check shows
// its progress, and a write that lands during a check never shows a false break.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from '../support/sqlite-driver.ts';
import { cliLogin, expect, runCli, test } from './fixtures.ts';
import { QueuePage } from './pages/QueuePage.ts';
import { StatusBar, VERIFIED_TEXT } from './pages/StatusBar.ts';
import { TicketDetailPage } from './pages/TicketDetailPage.ts';

/** The console's poll for other writers, low so a test sees another process's events without waiting 15 s. */
const FAST_POLL = { ATTEST_CHAIN_POLL_MS: '200' };

function eventCountIn(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A message event of some ticket, well inside the chain (not its first or last event). */
function messageEventIn(dbPath: string): { seq: number; ticket: string } {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare("SELECT seq, ticket_id AS ticket FROM events WHERE type = 'message' AND ticket_id IS NOT NULL ORDER BY seq LIMIT 1 OFFSET 700")
      .get() as { seq: number; ticket: string };
  } finally {
    db.close();
  }
}

/**
 * Changes one event's content the way someone with the sqlite3 shell would, then puts the append-only trigger back
 * exactly as it was: the protections look untouched, so only the hash chain can tell.
 */
function tamperAndRestoreTrigger(dbPath: string, seq: number): void {
  const db = new Database(dbPath);
  try {
    const trigger = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'events_no_update'").get() as { sql: string } | undefined;
    expect(trigger, 'the ledger protects its events with a trigger').toBeDefined();
    db.exec('DROP TRIGGER events_no_update');
    const changed = db.prepare("UPDATE events SET payload = json_set(payload, '$.body', 'changed after the console opened') WHERE seq = ?").run(seq);
    expect(changed.changes).toBe(1);
    db.exec(trigger!.sql);
    expect(() => db.prepare('UPDATE events SET type = type WHERE seq = ?').run(seq), 'the trigger is back').toThrow(/append-only/);
  } finally {
    db.close();
  }
}

/** JSONL lines for `tickets` new tickets, each created and with one customer message. */
function newTicketsJsonl(prefix: string, tickets: number): string {
  const lines: string[] = [];
  for (let i = 1; i <= tickets; i++) {
    const ticket = `${prefix}-${i}`;
    lines.push(
      JSON.stringify({ ticket, type: 'created', at: '2025-03-01T10:00:00Z', channel: 'web', priority: 'normal', category: 'how_to', subject: `Chain e2e ${ticket}`, requester: `c-${ticket}` }),
      JSON.stringify({ ticket, type: 'message', at: '2025-03-01T10:01:00Z', author: { kind: 'customer', id: `c-${ticket}` }, public: true, body: 'How do I export my data?' }),
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * The bar shows whole seconds: before appending, let the clock pass the second it shows, so a later check must show
 * a later time. (A precondition for the assertion, not a timing assertion.)
 */
async function clockPast(shownIso: string): Promise<void> {
  await expect.poll(() => Date.now(), { timeout: 5_000 }).toBeGreaterThanOrEqual(Date.parse(shownIso) + 1_000);
}

test('a change made after the console opened is found by Verify now, and its ticket opens with the event marked', async ({ page, demoDb, startServer }) => {
  const url = await startServer(demoDb);
  const queue = new QueuePage(page);
  const status = new StatusBar(page);
  await queue.open(url);
  await expect(status.chain).toHaveAttribute('data-chain-state', 'intact');
  await expect(status.chain).toHaveText(VERIFIED_TEXT);
  const fullCheckBefore = await status.fullCheckAt();
  expect(fullCheckBefore).not.toBeNull();

  const target = messageEventIn(demoDb);
  tamperAndRestoreTrigger(demoDb, target.seq);

  // Look elsewhere first, so the button has to bring the ticket up.
  await page.getByTestId('view-tab-kpis').click();
  await status.verifyButton.click();
  await expect.poll(() => status.fullCheckAt()).not.toBe(fullCheckBefore);
  await expect(status.chain).toHaveAttribute('data-chain-state', 'broken');
  await expect(status.chain).toContainText(`Chain broken at #${target.seq}:`);

  await expect(status.breakTicketButton).toHaveText(`Open ${target.ticket}`);
  await status.breakTicketButton.click();
  await expect(page.getByTestId('view-host')).toHaveAttribute('data-view', 'queue');
  const detail = new TicketDetailPage(page);
  await expect(detail.root).toHaveAttribute('data-ticket-id', target.ticket);
  const broken = detail.event(target.seq);
  await expect(broken).toHaveClass(/is-suspect/);
  await expect(broken).toHaveAttribute('data-evidence', 'true');
  await expect(broken).toContainText('Chain verification fails at this event.');
  // Events before the break still hold.
  const earlier = (await detail.eventSeqs()).filter((seq) => seq < target.seq);
  for (const seq of earlier) await expect(detail.event(seq)).not.toHaveClass(/is-suspect/);
});

test("another process's events are re-read and counted without pressing Verify now", async ({ page, demoDb, workDir, startServer }) => {
  const url = await startServer(demoDb, FAST_POLL);
  const queue = new QueuePage(page);
  const status = new StatusBar(page);
  await queue.open(url);
  await expect(status.chain).toHaveText(VERIFIED_TEXT);
  const before = { events: (await status.eventCount())!, at: (await status.verifiedAt())!, fullCheck: await status.fullCheckAt() };
  expect(before.events).toBe(eventCountIn(demoDb));
  await clockPast(before.at);

  // Another process (the CLI, signed in as a demo supervisor) imports two new tickets.
  const file = join(workDir, 'other-process.jsonl');
  await writeFile(file, newTicketsJsonl('OTHER', 2));
  await runCli(['import', '--db', demoDb, '--format', 'jsonl', file], 60_000, await cliLogin(workDir, 'mrivera'));
  const after = eventCountIn(demoDb);
  expect(after).toBeGreaterThan(before.events);

  await expect.poll(() => status.eventCount()).toBe(after);
  await expect(status.chain).toHaveAttribute('data-chain-state', 'intact');
  expect(Date.parse((await status.verifiedAt())!)).toBeGreaterThan(Date.parse(before.at));
  await expect.poll(() => status.reReadCount()).toBe(after);
  // It re-read only the new events: the last full check is still the one made when the file was opened.
  expect(await status.fullCheckAt()).toBe(before.fullCheck);
});

test("the console's own import is re-read as an increment", async ({ page, serverUrl }) => {
  const queue = new QueuePage(page);
  const status = new StatusBar(page);
  await queue.open(serverUrl);
  await expect(status.chain).toHaveText(VERIFIED_TEXT);
  const before = { events: (await status.eventCount())!, at: (await status.verifiedAt())!, fullCheck: await status.fullCheckAt() };
  await clockPast(before.at);

  await queue.importFile('increment.jsonl', newTicketsJsonl('E2E-INC', 3));
  await expect(queue.importReport).toBeVisible();

  // Three tickets of two lines each, and the import's own `import.file` record: all counted and re-read.
  const events = before.events + 6 + 1;
  await expect.poll(() => status.eventCount()).toBe(events);
  await expect(status.chain).toHaveAttribute('data-chain-state', 'intact');
  expect(Date.parse((await status.verifiedAt())!)).toBeGreaterThan(Date.parse(before.at));
  await expect.poll(() => status.reReadCount()).toBe(events);
  expect(await status.fullCheckAt()).toBe(before.fullCheck);
});

test('a full check shows "Verifying chain…" with a progress bar until its verdict', async ({ page, workDir, startServer }) => {
  test.setTimeout(180_000);
  // Progress is reported every 50,000 events: a ledger past that shows the bar part-way.
  const dbPath = join(workDir, 'large.db');
  await runCli(['demo', '--db', dbPath, '--tickets', '8000', '--seed', '7'], 150_000);
  expect(eventCountIn(dbPath)).toBeGreaterThan(60_000);

  const url = await startServer(dbPath);
  // Counted after the sign-in (the fixture signs in first), which is an access event on the ledger.
  const total = eventCountIn(dbPath);
  const queue = new QueuePage(page);
  const status = new StatusBar(page);
  await queue.open(url);
  await expect(status.chain).toHaveText(VERIFIED_TEXT, { timeout: 60_000 });
  const fullCheckBefore = await status.fullCheckAt();

  await status.startRecording();
  await status.verifyButton.click();
  await expect.poll(() => status.fullCheckAt(), { timeout: 60_000 }).not.toBe(fullCheckBefore);
  await expect(status.chain).toHaveText(VERIFIED_TEXT);
  expect(await status.eventCount()).toBe(total);

  const states = await status.recordedStates();
  const shown = JSON.stringify(states);
  const verifying = states.findIndex((s) => s.state === 'verifying');
  expect(verifying, `the bar said it was verifying: ${shown}`).toBeGreaterThanOrEqual(0);
  expect(states[verifying]!.text).toMatch(/^Verifying chain…/);
  // The first state after the check began that is not "verifying" is its verdict: until then, no older verdict
  // was shown as current.
  const verdict = states.findIndex((s, i) => i > verifying && s.state !== 'verifying');
  expect(verdict, `a verdict followed: ${shown}`).toBeGreaterThan(verifying);
  expect(states[verdict]!.state).toBe('intact');
  const withBar = states.findIndex((s, i) => i > verifying && i < verdict && s.progress !== null);
  expect(withBar, `a progress bar was shown while it re-read: ${shown}`).toBeGreaterThan(0);
  const bar = states[withBar]!;
  expect(bar.progress!.max).toBe(total);
  expect(bar.progress!.value).toBeGreaterThan(0);
  expect(bar.progress!.value).toBeLessThan(total);
  expect(bar.text).toBe(`Verifying chain… ${bar.progress!.value.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events re-read`);
});

test('a write landing during checks never shows a false break', async ({ page, demoDb, workDir, startServer }) => {
  const url = await startServer(demoDb, FAST_POLL);
  const queue = new QueuePage(page);
  const status = new StatusBar(page);
  await queue.open(url);
  await expect(status.chain).toHaveText(VERIFIED_TEXT);
  await status.startRecording();

  const file = join(workDir, 'concurrent.jsonl');
  await writeFile(file, newTicketsJsonl('E2E-CONC', 1500));
  let importDone = false;
  const importing = runCli(['import', '--db', demoDb, '--format', 'jsonl', file]).finally(() => (importDone = true));
  // Full checks back to back for as long as the other process imports (the poll adds increments meanwhile).
  let checks = 0;
  while (!importDone) {
    await status.verifyButton.click();
    await expect(status.verifyButton).toHaveText('Verify now');
    checks++;
  }
  await importing;
  expect(checks).toBeGreaterThan(0);

  const after = eventCountIn(demoDb);
  await expect.poll(() => status.eventCount()).toBe(after);
  await expect(status.chain).toHaveAttribute('data-chain-state', 'intact');
  const states = await status.recordedStates();
  expect(states.filter((s) => s.state === 'broken' || s.state === 'failed'), 'no false alarm at any moment').toEqual([]);
});
