import type { Command } from './command.ts';
import { CATEGORY_COMMANDS } from './commands/category-commands.ts';
import { LEDGER_COMMANDS } from './commands/ledger-commands.ts';
import { KPI_COMMANDS } from './commands/kpi-commands.ts';
import { IMPORT_COMMANDS } from './commands/import-commands.ts';
import { SLA_COMMANDS } from './commands/sla-commands.ts';
import { AI_COMMANDS } from './commands/ai-commands.ts';
import { OUTCOME_COMMANDS } from './commands/outcome-commands.ts';
import { CHECKPOINT_COMMANDS } from './commands/checkpoint-commands.ts';
import { COSIGN_COMMANDS } from './commands/cosign-commands.ts';
import { AUDIT_COMMANDS } from './commands/audit-commands.ts';
import { USER_COMMANDS } from './commands/user-commands.ts';
import { AUDIT_GAP_COMMANDS } from './commands/audit-gap-commands.ts';
import { TEAM_COMMANDS } from './commands/team-commands.ts';
import { ENCRYPTION_COMMANDS } from './commands/encryption-commands.ts';

// Every feature contributes its commands here (a module of its own so tests can list them without running the CLI).
export const COMMANDS: Command[] = [
  ...LEDGER_COMMANDS,
  ...CATEGORY_COMMANDS,
  ...KPI_COMMANDS,
  ...IMPORT_COMMANDS,
  ...SLA_COMMANDS,
  ...AI_COMMANDS,
  ...OUTCOME_COMMANDS,
  ...CHECKPOINT_COMMANDS,
  ...COSIGN_COMMANDS,
  ...AUDIT_COMMANDS,
  ...USER_COMMANDS,
  ...AUDIT_GAP_COMMANDS,
  ...TEAM_COMMANDS,
  ...ENCRYPTION_COMMANDS,
];
