// The one permission table: which role may do what, for every adapter alike (Electron IPC, the HTTP bridge, the
// CLI). The core enforces it on every call; the console reads it to disable what the signed-in role may not do
// before anything is clicked; the README's role table is generated from it. A contract method missing here
// does not compile.
import type { MethodName } from './contract.ts';
import type { Role } from './domain.ts';

const EVERYONE: readonly Role[] = ['admin', 'supervisor', 'auditor'];
const SUPERVISORS: readonly Role[] = ['admin', 'supervisor'];
const AUDITORS: readonly Role[] = ['admin', 'auditor'];
const ADMINS: readonly Role[] = ['admin'];
/** Anyone, signed in or not: how to sign in. */
const ANYONE: readonly Role[] = [];

/** Acts of the CLI that have no console method; the CLI checks them against this same table. */
export type CliOperation =
  | 'cli.export'
  | 'cli.checkpoint'
  | 'cli.checkpoint.addCosignature'
  | 'cli.rebuild'
  | 'cli.kbImport'
  | 'cli.contractImport';

export type Operation = MethodName | CliOperation;

interface Permission {
  roles: readonly Role[];
  /** What it is, in the words of the console and the README. */
  what: string;
  /** Needs no signed-in person (signing in itself). */
  public?: true;
}

export const PERMISSIONS: { readonly [O in Operation]: Permission } = {
  'auth.state': { roles: ANYONE, public: true, what: 'see who is signed in' },
  'auth.login': { roles: ANYONE, public: true, what: 'sign in' },
  'auth.logout': { roles: EVERYONE, what: 'sign out' },
  'session.info': { roles: EVERYONE, what: 'see the session' },
  'users.list': { roles: EVERYONE, what: 'list accounts' },
  'users.add': { roles: ADMINS, what: 'create an account' },
  'users.setRole': { roles: ADMINS, what: "change a person's role" },
  'users.disable': { roles: ADMINS, what: 'disable an account' },
  'users.enable': { roles: ADMINS, what: 'enable an account' },
  'users.setPassword': { roles: EVERYONE, what: 'change your password (admins: reset anyone’s)' },
  'access.log': { roles: AUDITORS, what: 'read the access log' },
  'people.setIdleMinutes': { roles: ADMINS, what: 'set the idle time after which sessions end' },

  'tickets.list': { roles: EVERYONE, what: 'read the ticket queue' },
  'tickets.get': { roles: EVERYONE, what: "read a ticket's timeline" },
  'tickets.facets': { roles: EVERYONE, what: 'read filter options' },
  'ledger.status': { roles: EVERYONE, what: 'see the chain status' },
  'ledger.verify': { roles: EVERYONE, what: 'verify the chain' },
  'team.status': { roles: EVERYONE, what: "see the team ledger's connection" },
  'import.jsonl': { roles: SUPERVISORS, what: 'import a JSONL ledger file' },
  'audit.gaps': { roles: EVERYONE, what: 'read the session gap report' },

  'categories.list': { roles: EVERYONE, what: 'read category modes' },
  'categories.setMode': { roles: SUPERVISORS, what: "change a category's AI mode" },

  'kpis.definitions': { roles: EVERYONE, what: 'read KPI definitions' },
  'kpis.report': { roles: EVERYONE, what: 'read KPI reports' },
  'kpis.series': { roles: EVERYONE, what: 'read KPI series' },
  'kpis.tickets': { roles: EVERYONE, what: 'read KPI tickets' },
  'kpis.drill': { roles: EVERYONE, what: "read a KPI's numerator and denominator tickets" },
  'kpis.drillExport': { roles: EVERYONE, what: "export a KPI's numerator and denominator tickets" },
  'kpis.baselines': { roles: EVERYONE, what: 'read baselines' },
  'kpis.freezeBaseline': { roles: SUPERVISORS, what: 'freeze a baseline' },
  'kpis.board': { roles: EVERYONE, what: 'read the migration board' },
  'kpis.roiInputs': { roles: EVERYONE, what: 'read ROI inputs' },
  'kpis.export': { roles: EVERYONE, what: 'export KPI tables' },

  'sla.compliance': { roles: EVERYONE, what: 'read SLA compliance' },
  'sla.trend': { roles: EVERYONE, what: 'read the SLA trend' },
  'sla.tickets': { roles: EVERYONE, what: 'read SLA tickets' },
  'sla.ticketsExport': { roles: EVERYONE, what: 'export the tickets behind an SLA figure' },
  'sla.live': { roles: EVERYONE, what: 'read live SLA clocks' },
  'sla.ticket': { roles: EVERYONE, what: "read a ticket's SLA" },
  'sla.policies': { roles: EVERYONE, what: 'read SLA policies' },
  'sla.importPolicies': { roles: SUPERVISORS, what: 'import SLA policies' },

  'ai.health': { roles: EVERYONE, what: 'check the model server' },
  'ai.settings': { roles: EVERYONE, what: 'view AI settings' },
  'ai.configure': { roles: SUPERVISORS, what: 'change AI settings' },
  'organization.settings': { roles: EVERYONE, what: 'view the organization settings (name, AI signature and disclosure)' },
  'organization.configure': { roles: SUPERVISORS, what: 'change the organization settings (name, AI signature and disclosure)' },
  'ai.allowRemoteHost': { roles: ADMINS, what: 'allow the AI to send ticket text to a model server on another machine' },
  'ai.status': { roles: EVERYONE, what: 'see AI job status' },
  'ai.resolve': { roles: SUPERVISORS, what: 'run the AI on tickets' },
  'ai.cancel': { roles: SUPERVISORS, what: 'cancel an AI run' },
  'ai.reviewQueue': { roles: EVERYONE, what: 'read the AI review queue' },
  'ai.review': { roles: SUPERVISORS, what: 'approve or reject an AI draft' },
  'ai.draftLive': { roles: SUPERVISORS, what: 'draft a reply live with the AI' },
  'ai.gaps': { roles: EVERYONE, what: 'read knowledge gaps' },
  'ai.attribution': { roles: EVERYONE, what: 'read AI attribution' },
  'kb.list': { roles: EVERYONE, what: 'read the knowledge base' },
  'kb.search': { roles: EVERYONE, what: 'search the knowledge base' },
  'kb.article': { roles: EVERYONE, what: 'read an article' },
  'kb.get': { roles: EVERYONE, what: 'read an article version' },
  'kb.edit': { roles: SUPERVISORS, what: 'edit an article' },
  'kb.diff': { roles: EVERYONE, what: 'compare two versions of an article' },
  'kb.citations': { roles: EVERYONE, what: 'list the AI replies that cited an article version' },

  'outcomes.contracts': { roles: EVERYONE, what: 'read outcome contracts' },
  'outcomes.verify': { roles: SUPERVISORS, what: 'run outcome verification' },
  'outcomes.cancelVerify': { roles: SUPERVISORS, what: 'cancel a running outcome verification' },
  'outcomes.explain': { roles: EVERYONE, what: 'explain an outcome' },
  'outcomes.periods': { roles: EVERYONE, what: 'list statement periods' },
  'outcomes.statement': { roles: EVERYONE, what: 'read a statement' },
  'outcomes.statementPdf': { roles: EVERYONE, what: 'download a statement PDF' },
  'outcomes.periodStates': { roles: EVERYONE, what: 'see which statements are issued' },
  'outcomes.issueStatement': { roles: SUPERVISORS, what: 'issue a statement (signed)' },
  'outcomes.attribution': { roles: EVERYONE, what: 'read outcome attribution' },
  'outcomes.disputes': { roles: EVERYONE, what: 'read disputes' },
  'outcomes.disputeOpen': { roles: AUDITORS, what: 'flag a dispute' },
  'outcomes.disputeUphold': { roles: SUPERVISORS, what: 'uphold a dispute (signed)' },
  'outcomes.disputeReject': { roles: SUPERVISORS, what: 'reject a dispute (signed)' },

  'audit.checkpoints': { roles: EVERYONE, what: 'list checkpoints and cosignatures' },
  'audit.sample': { roles: EVERYONE, what: 'draw a sample of billed tickets' },
  'audit.note': { roles: AUDITORS, what: 'record an audit review note' },
  'audit.notes': { roles: EVERYONE, what: 'read audit review notes' },
  'audit.signatures': { roles: EVERYONE, what: 'see who signed what' },
  'audit.receipt': { roles: EVERYONE, what: 'download a receipt (recorded in the access log)' },
  'audit.exportPack': { roles: EVERYONE, what: "export an auditor's pack (recorded in the access log)" },

  'imports.upload': { roles: SUPERVISORS, what: 'upload a helpdesk export' },
  'imports.start': { roles: SUPERVISORS, what: 'start an import' },
  'imports.status': { roles: SUPERVISORS, what: 'see import progress' },
  'imports.cancel': { roles: SUPERVISORS, what: 'cancel an import' },
  'imports.preview': { roles: SUPERVISORS, what: 'preview an import' },
  'imports.values': { roles: SUPERVISORS, what: "check an import's values before it runs" },
  'imports.history': { roles: EVERYONE, what: 'list past imports' },
  'imports.anomaliesCsv': { roles: SUPERVISORS, what: "export an import's anomalies" },

  'cli.export': { roles: EVERYONE, what: 'export the ledger (recorded in the access log)' },
  'cli.checkpoint': { roles: SUPERVISORS, what: 'record a signed checkpoint' },
  'cli.checkpoint.addCosignature': { roles: EVERYONE, what: "record a buyer's cosignature of a checkpoint" },
  'cli.rebuild': { roles: ADMINS, what: 'rebuild the projections' },
  'cli.kbImport': { roles: SUPERVISORS, what: 'import knowledge-base articles' },
  'cli.contractImport': { roles: SUPERVISORS, what: 'import an outcome contract (signed)' },
};

export function isPublic(operation: Operation): boolean {
  return PERMISSIONS[operation].public === true;
}

/** Whether `role` may do `operation` (public operations: anyone). */
export function mayDo(role: Role | null, operation: Operation): boolean {
  const permission = PERMISSIONS[operation];
  if (permission.public) return true;
  return role !== null && permission.roles.includes(role);
}

/** The plain sentence for a refusal, shown by every adapter and beside every disabled control. */
export function refusal(role: Role | null, operation: Operation): string {
  const permission = PERMISSIONS[operation];
  if (role === null) return `sign in first: ${permission.what} needs a signed-in person`;
  const who = permission.roles.map((r) => `${r}s`).join(' and ');
  return `the ${role} role may not ${permission.what}; only ${who} may`;
}
