// Sandboxed preload: exposes `window.attest`, exactly one function per contract method plus
// `subscribe` for core push events. No raw ipcRenderer, no channel names from the page.
// Bundled to a single CJS file (dist-electron/preload.cjs); only 'electron' is required at runtime.
import { contextBridge, ipcRenderer } from 'electron';
import type {
  AttestApi,
  CoreEventName,
  CoreEvents,
  MethodInput,
  MethodName,
  MethodOutput,
  Result,
} from '../../shared/contract.ts';
import { eventChannel, isCoreEventName, methodChannel, resultOfIpcAnswer, type IpcAnswer } from '../adapters/ipc/channels.ts';

function method<M extends MethodName>(name: M): (input?: MethodInput<M>) => Promise<Result<MethodOutput<M>>> {
  const channel = methodChannel(name);
  return async (input) => resultOfIpcAnswer((await ipcRenderer.invoke(channel, input)) as IpcAnswer) as Result<MethodOutput<M>>;
}

function subscribe<E extends CoreEventName>(event: E, listener: (payload: CoreEvents[E]) => void): () => void {
  if (!isCoreEventName(event)) throw new TypeError(`attest.subscribe: unknown event ${String(event)}`);
  if (typeof listener !== 'function') throw new TypeError('attest.subscribe: listener must be a function');
  const channel = eventChannel(event);
  // Only the payload crosses into the page — never the IpcRendererEvent (it carries `sender`).
  const wrapped = (_event: unknown, payload: CoreEvents[E]): void => listener(payload);
  ipcRenderer.on(channel, wrapped);
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    ipcRenderer.removeListener(channel, wrapped);
  };
}

// `satisfies` makes this literal exhaustive and exact: a method added to or removed from the
// contract is a type error here.
const api = {
  'session.info': method('session.info'),
  'tickets.list': method('tickets.list'),
  'tickets.get': method('tickets.get'),
  'tickets.facets': method('tickets.facets'),
  'ledger.status': method('ledger.status'),
  'ledger.verify': method('ledger.verify'),
  'import.jsonl': method('import.jsonl'),
  'categories.list': method('categories.list'),
  'categories.setMode': method('categories.setMode'),
  'kpis.definitions': method('kpis.definitions'),
  'kpis.report': method('kpis.report'),
  'kpis.series': method('kpis.series'),
  'kpis.tickets': method('kpis.tickets'),
  'kpis.drill': method('kpis.drill'),
  'kpis.drillExport': method('kpis.drillExport'),
  'kpis.baselines': method('kpis.baselines'),
  'kpis.freezeBaseline': method('kpis.freezeBaseline'),
  'kpis.board': method('kpis.board'),
  'kpis.roiInputs': method('kpis.roiInputs'),
  'kpis.export': method('kpis.export'),
  'sla.compliance': method('sla.compliance'),
  'sla.trend': method('sla.trend'),
  'sla.tickets': method('sla.tickets'),
  'sla.ticketsExport': method('sla.ticketsExport'),
  'sla.live': method('sla.live'),
  'sla.ticket': method('sla.ticket'),
  'sla.policies': method('sla.policies'),
  'sla.importPolicies': method('sla.importPolicies'),
  'ai.health': method('ai.health'),
  'ai.settings': method('ai.settings'),
  'ai.configure': method('ai.configure'),
  'ai.allowRemoteHost': method('ai.allowRemoteHost'),
  'organization.settings': method('organization.settings'),
  'organization.configure': method('organization.configure'),
  'ai.status': method('ai.status'),
  'ai.resolve': method('ai.resolve'),
  'ai.cancel': method('ai.cancel'),
  'ai.reviewQueue': method('ai.reviewQueue'),
  'ai.review': method('ai.review'),
  'ai.draftLive': method('ai.draftLive'),
  'ai.gaps': method('ai.gaps'),
  'ai.attribution': method('ai.attribution'),
  'kb.list': method('kb.list'),
  'kb.search': method('kb.search'),
  'kb.article': method('kb.article'),
  'kb.get': method('kb.get'),
  'kb.edit': method('kb.edit'),
  'kb.diff': method('kb.diff'),
  'kb.citations': method('kb.citations'),
  'outcomes.contracts': method('outcomes.contracts'),
  'outcomes.verify': method('outcomes.verify'),
  'outcomes.cancelVerify': method('outcomes.cancelVerify'),
  'outcomes.explain': method('outcomes.explain'),
  'outcomes.periods': method('outcomes.periods'),
  'outcomes.statement': method('outcomes.statement'),
  'outcomes.statementPdf': method('outcomes.statementPdf'),
  'outcomes.periodStates': method('outcomes.periodStates'),
  'outcomes.issueStatement': method('outcomes.issueStatement'),
  'outcomes.attribution': method('outcomes.attribution'),
  'outcomes.disputes': method('outcomes.disputes'),
  'outcomes.disputeOpen': method('outcomes.disputeOpen'),
  'outcomes.disputeUphold': method('outcomes.disputeUphold'),
  'outcomes.disputeReject': method('outcomes.disputeReject'),
  'imports.upload': method('imports.upload'),
  'imports.start': method('imports.start'),
  'imports.status': method('imports.status'),
  'imports.cancel': method('imports.cancel'),
  'imports.preview': method('imports.preview'),
  'imports.values': method('imports.values'),
  'imports.history': method('imports.history'),
  'imports.anomaliesCsv': method('imports.anomaliesCsv'),
  'auth.state': method('auth.state'),
  'auth.login': method('auth.login'),
  'auth.logout': method('auth.logout'),
  'users.list': method('users.list'),
  'users.add': method('users.add'),
  'users.setRole': method('users.setRole'),
  'users.disable': method('users.disable'),
  'users.enable': method('users.enable'),
  'users.setPassword': method('users.setPassword'),
  'access.log': method('access.log'),
  'people.setIdleMinutes': method('people.setIdleMinutes'),
  'audit.checkpoints': method('audit.checkpoints'),
  'audit.sample': method('audit.sample'),
  'audit.note': method('audit.note'),
  'audit.notes': method('audit.notes'),
  'audit.signatures': method('audit.signatures'),
  'audit.receipt': method('audit.receipt'),
  'audit.exportPack': method('audit.exportPack'),
  'audit.gaps': method('audit.gaps'),
  'team.status': method('team.status'),
  subscribe,
} satisfies AttestApi;

contextBridge.exposeInMainWorld('attest', api);
