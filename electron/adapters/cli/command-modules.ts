// Which module defines each command, so that `attest NAME` loads that module alone. Loading all fourteen (and all the
// core each of them uses) cost every command about 90 more modules and 14% of `attest verify`'s start-up on a small
// ledger. The full list in its order (command-list.ts) is loaded only to print the usage. A test checks this table
// against the modules (tests/unit/cli-command-modules.test.ts): a command missing here is a failing test, not a
// command that cannot be found.
import type { Command } from './command.ts';

type CommandModule = () => Promise<readonly Command[]>;

const ledger: CommandModule = async () => (await import('./commands/ledger-commands.ts')).LEDGER_COMMANDS;
const category: CommandModule = async () => (await import('./commands/category-commands.ts')).CATEGORY_COMMANDS;
const kpi: CommandModule = async () => (await import('./commands/kpi-commands.ts')).KPI_COMMANDS;
const importing: CommandModule = async () => (await import('./commands/import-commands.ts')).IMPORT_COMMANDS;
const sla: CommandModule = async () => (await import('./commands/sla-commands.ts')).SLA_COMMANDS;
const ai: CommandModule = async () => (await import('./commands/ai-commands.ts')).AI_COMMANDS;
const outcome: CommandModule = async () => (await import('./commands/outcome-commands.ts')).OUTCOME_COMMANDS;
const checkpoint: CommandModule = async () => (await import('./commands/checkpoint-commands.ts')).CHECKPOINT_COMMANDS;
const cosign: CommandModule = async () => (await import('./commands/cosign-commands.ts')).COSIGN_COMMANDS;
const audit: CommandModule = async () => (await import('./commands/audit-commands.ts')).AUDIT_COMMANDS;
const user: CommandModule = async () => (await import('./commands/user-commands.ts')).USER_COMMANDS;
const auditGap: CommandModule = async () => (await import('./commands/audit-gap-commands.ts')).AUDIT_GAP_COMMANDS;
const team: CommandModule = async () => (await import('./commands/team-commands.ts')).TEAM_COMMANDS;
const encryption: CommandModule = async () => (await import('./commands/encryption-commands.ts')).ENCRYPTION_COMMANDS;

/** The module of each command, by its full name ("contract import" for a subcommand). */
export const COMMAND_MODULES: Readonly<Record<string, CommandModule>> = {
  demo: ledger,
  export: ledger,
  verify: ledger,
  rebuild: ledger,
  serve: ledger,
  categories: category,
  'categories set': category,
  kpis: kpi,
  'kpis export': kpi,
  'baseline freeze': kpi,
  'baseline list': kpi,
  board: kpi,
  import: importing,
  'sla import': sla,
  sla: sla,
  resolve: ai,
  'kb import': ai,
  'kb search': ai,
  'ai health': ai,
  'contract import': outcome,
  outcomes: outcome,
  explain: outcome,
  statement: outcome,
  'statement issue': outcome,
  'dispute open': outcome,
  'dispute uphold': outcome,
  'dispute reject': outcome,
  disputes: outcome,
  checkpoint: checkpoint,
  prove: checkpoint,
  keygen: cosign,
  cosign: cosign,
  'checkpoint add-cosignature': cosign,
  receipt: audit,
  'user add': user,
  'user list': user,
  'user disable': user,
  'user enable': user,
  'user passwd': user,
  'user role': user,
  'audit gaps': auditGap,
  'team init': team,
  'team push': team,
  'team status': team,
  encrypt: encryption,
  rekey: encryption,
};

/**
 * The command named by the first one or two words, longest name first ("contract import" before "contract"), with
 * the words after its name; its module is loaded, no other.
 */
export async function findCommand(words: readonly string[]): Promise<{ command: Command; rest: string[] } | null> {
  for (const length of [2, 1]) {
    if (words.length < length) continue;
    const name = words.slice(0, length).join(' ');
    const load = Object.hasOwn(COMMAND_MODULES, name) ? COMMAND_MODULES[name] : undefined;
    const command = load ? (await load()).find((c) => c.name === name) : undefined;
    if (command) return { command, rest: words.slice(length) };
  }
  return null;
}
