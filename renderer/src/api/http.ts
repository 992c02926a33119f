// Browser-mode transport: JSON over POST /api/rpc/<method>, push events over SSE.
import {
  CORE_EVENT_NAMES,
  METHOD_NAMES,
  type AttestApi,
  type CoreEventName,
  type CoreEvents,
  type MethodName,
  type Result,
} from '../../../shared/contract.ts';
import { asResult, describeThrown, failure } from './errors.ts';

type Listener = (payload: unknown) => void;

export function createHttpApi(token: string | null): AttestApi {
  const listeners = new Map<CoreEventName, Set<Listener>>();
  let source: EventSource | null = null;

  async function call(method: MethodName, input: unknown): Promise<Result<unknown>> {
    if (!token) {
      return failure('forbidden', 'No access token. Open the console with the URL printed by `attest serve`.');
    }
    let response: Response;
    try {
      response = await fetch(`/api/rpc/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Attest-Token': token },
        body: JSON.stringify(input ?? {}),
        cache: 'no-store',
        credentials: 'same-origin',
      });
    } catch (err) {
      return failure('internal', `Cannot reach the Attest server: ${describeThrown(err)}`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return failure('internal', `${method}: server answered HTTP ${response.status} without a valid result`);
    }
    return asResult(body, `${method}: server answered HTTP ${response.status}`);
  }

  // The stream needs the session cookie as well as the token: it is opened by the first subscriber (the
  // console subscribes once signed in) and closed when the last one leaves (on sign-out), so signing in
  // again opens a fresh stream under the new session.
  function ensureSource(): void {
    if (source || !token) return;
    const opened = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source = opened;
    opened.addEventListener('error', () => {
      // Refused (no session): the browser gives up; forget it so the next subscriber tries again.
      if (opened.readyState === EventSource.CLOSED && source === opened) source = null;
    });
    for (const name of CORE_EVENT_NAMES) {
      opened.addEventListener(name, (ev) => {
        let payload: unknown;
        try {
          payload = JSON.parse((ev as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const listener of listeners.get(name) ?? []) listener(payload);
      });
    }
  }

  const api: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    api[method] = (input?: unknown) => call(method, input);
  }
  api.subscribe = <E extends CoreEventName>(event: E, listener: (payload: CoreEvents[E]) => void) => {
    let set = listeners.get(event);
    if (!set) {
      set = new Set();
      listeners.set(event, set);
    }
    const wrapped = listener as Listener;
    set.add(wrapped);
    ensureSource();
    return () => {
      set.delete(wrapped);
      if ([...listeners.values()].every((s) => s.size === 0)) {
        source?.close();
        source = null;
      }
    };
  };
  return api as AttestApi;
}
