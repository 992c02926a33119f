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
import { eventChannel, isCoreEventName, methodChannel } from '../adapters/ipc/channels.ts';

function method<M extends MethodName>(name: M): (input?: MethodInput<M>) => Promise<Result<MethodOutput<M>>> {
  const channel = methodChannel(name);
  return (input) => ipcRenderer.invoke(channel, input) as Promise<Result<MethodOutput<M>>>;
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
  subscribe,
} satisfies AttestApi;

contextBridge.exposeInMainWorld('attest', api);
