// Consoles on one team ledger for the team-mode tests: a throwaway PostgreSQL cluster, team databases initialized
// as `attest team init` does, and cores opened on replica files of their own (single-user mode, admin).
import { join } from 'node:path';
import { expect } from 'vitest';
import { openCore } from '../../electron/core/service.ts';
import type { CoreHandle, TeamOptions } from '../../electron/core/service-api.ts';
import { initTeam } from '../../electron/core/team/team-admin.ts';
import type { TeamReplicaStatus } from '../../shared/contracts/team.ts';
import type { PgCluster } from '../support/pg-cluster.ts';

export const WRITER_PASSWORD = 'team-writer-secret';

/** A fresh team ledger on the cluster; returns the URL consoles connect with (the writer role). */
export async function newTeamLedger(cluster: PgCluster, name: string): Promise<string> {
  await initTeam(cluster.createDatabase(name), { writerPassword: WRITER_PASSWORD });
  return `postgres://attest_writer:${WRITER_PASSWORD}@127.0.0.1:${cluster.port}/${name}`;
}

export interface Console {
  core: CoreHandle;
  path: string;
}

/** Opens a console on `dir/<name>.db` connected to the team ledger at `url`; closed by closeConsoles. */
export function openConsole(dir: string, name: string, team: TeamOptions, extra: { checkpointEveryMs?: number } = {}): Console {
  const path = join(dir, `${name}.db`);
  return { core: openCore({ dbPath: path, team, chainPollIntervalMs: 0, ...extra }), path };
}

export async function closeConsoles(consoles: readonly Console[]): Promise<void> {
  await Promise.all(consoles.map((console) => console.core.closeAsync()));
}

/** The console's team status (`session`: a signed-in person's, in a ledger with accounts). */
export async function teamStatus(core: CoreHandle, session?: string): Promise<TeamReplicaStatus> {
  const result = await core.invoke('team.status', {}, { session });
  if (!result.ok) throw new Error(result.error.message);
  if (!result.value) throw new Error('not a team console');
  return result.value;
}

/** Waits until the console's replica is in `state` (its own timer and NOTIFY drive it); returns that status. */
export async function untilState(core: CoreHandle, state: TeamReplicaStatus['state'], session?: string): Promise<TeamReplicaStatus> {
  await expect.poll(async () => (await teamStatus(core, session)).state, { timeout: 15_000, interval: 50 }).toBe(state);
  return teamStatus(core, session);
}

/** A JSONL import through the console (a write that goes to the team ledger). */
export async function importLines(core: CoreHandle, lines: readonly object[]): Promise<void> {
  const result = await core.invoke('import.jsonl', { fileName: 'team.jsonl', text: lines.map((line) => JSON.stringify(line)).join('\n') + '\n' });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
}

export async function headOf(core: CoreHandle): Promise<number> {
  return (await teamStatus(core)).localHead;
}
