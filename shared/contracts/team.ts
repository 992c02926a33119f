// Team mode: a console whose ledger is a local replica of a team ledger on PostgreSQL.
import { z } from 'zod';

/** The replica's connection to the team ledger, as the console shows it. */
export interface TeamReplicaStatus {
  /** host:port/database of the team ledger (never a password). */
  team: string;
  /** online: in step; offline: the server cannot be reached (read-only); stopped: its history differs from the one verified. */
  state: 'connecting' | 'online' | 'offline' | 'stopped';
  lastSyncedAt: string | null;
  localHead: number;
  serverHead: number | null;
  /** Events the replica was behind when it last heard of the server. */
  behind: number;
  /** "offline — last synced 14:02, 12 events behind at that time"; null when simply online. */
  message: string | null;
  /** stopped: where the server's history differs from what this console verified. */
  differsAt: number | null;
}

export const teamInputs = {
  'team.status': z.object({}).strict().default({}),
} as const;

export interface TeamOutputs {
  /** null: this console works on a desktop ledger of its own, not a team ledger. */
  'team.status': TeamReplicaStatus | null;
}

export interface TeamCoreEvents {
  'team.status': TeamReplicaStatus;
}
