// `attest team status`: what the team ledger holds and which consoles' replicas have witnessed it — read in one
// read-only snapshot, so the head and the replicas' sizes are of the same moment.
import { pgSchemaProblem } from '../db/pg-migrate.ts';
import { describeTeam } from './team-connection.ts';
import { withTeamClient, type ReplicaRow, type TeamHead } from './team-repository.ts';

export interface TeamLedgerStatus {
  team: string;
  ledgerId: string;
  schemaVersion: number;
  /** Why this version of Attest would refuse the schema, or null. */
  schemaProblem: string | null;
  head: TeamHead;
  replicas: ReplicaRow[];
}

export class TeamStatusError extends Error {}

export async function teamLedgerStatus(url: string): Promise<TeamLedgerStatus> {
  return withTeamClient(url, 'attest-team-status', async (client, queries) => {
    return await queries.inReadOnlySnapshot(async () => {
      const schemaProblem = await pgSchemaProblem(client);
      // No team ledger at all (nothing to show) is an error; an older or newer schema is shown with its problem.
      if (!(await queries.hasTeamLedger())) throw new TeamStatusError(schemaProblem ?? `${describeTeam(url)} holds no team ledger`);
      return {
        team: describeTeam(url),
        ledgerId: await queries.ledgerId(),
        schemaVersion: await queries.schemaVersion(),
        schemaProblem,
        head: await queries.head(),
        replicas: await queries.replicas(),
      };
    });
  });
}
