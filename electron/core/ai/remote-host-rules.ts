// The rule book of where ticket text may go. It runs in the ledger's append path (console, CLI, JSONL import, team
// sync alike): a model server that is not this computer is set only after an admin allowed exactly that address,
// with a reason (an `ai.remote_host` event), and only an admin may allow one. Lines replayed from an exact chained
// export keep the rules of the version that wrote them (older ones had no allowance); for those, and for OLLAMA_HOST,
// ai-settings.ts decideHost still refuses to contact a host nobody allowed.
import { ACCOUNT_ACTOR_PREFIX } from '../../../shared/domain.ts';
import type { EventRule } from '../ledger/event-types/types.ts';
import { LineError } from '../ledger/line-error.ts';
import { foldPeople } from '../people/accounts.ts';
import { ACCOUNT_EVENT_TYPES } from '../people/people-repository.ts';
import { isLoopbackHost, normalizeHost } from './ollama-host.ts';

function hostOf(value: unknown, field: string): string {
  try {
    return normalizeHost(String(value));
  } catch (error) {
    throw new LineError(field, (error as Error).message);
  }
}

/** ai.remote_host: an admin's act (once the ledger has accounts), naming a normalised address that is not this computer. */
export const remoteHostAllowanceRule: EventRule = (event, ledger) => {
  const host = event.payload.host;
  if (host !== null) {
    const normalized = hostOf(host, 'host');
    if (normalized !== host) throw new LineError('host', `must be written as the server's origin "${normalized}"`);
    if (isLoopbackHost(normalized)) throw new LineError('host', `${normalized} is this computer: it needs no allowance`);
  }
  if (event.replayed) return;
  const people = foldPeople(ACCOUNT_EVENT_TYPES.flatMap((type) => ledger.ledgerWide(type)).sort((a, b) => a.seq - b.seq));
  // Without accounts (single-user mode) the person at this computer is its admin; the contract method checks the role.
  if (!people.required) return;
  const id = event.actor.kind === 'human' ? event.actor.id : undefined;
  const account = id?.startsWith(ACCOUNT_ACTOR_PREFIX) ? people.accounts.get(id.slice(ACCOUNT_ACTOR_PREFIX.length)) : undefined;
  if (account?.role !== 'admin') {
    throw new LineError('actor', 'only an admin may allow sending ticket text to a model server on another machine');
  }
};

/** ai.settings: a host that is not this computer must be the one the latest ai.remote_host allowed. */
export const settingsHostRule: EventRule = (event, ledger) => {
  if (event.payload.host === undefined || event.replayed) return;
  const host = hostOf(event.payload.host, 'host');
  if (isLoopbackHost(host)) return;
  const allowed = ledger.ledgerWide('ai.remote_host').at(-1)?.payload.host ?? null;
  if (allowed !== host) {
    throw new LineError(
      'host',
      `${host} is not this computer and no admin allowed sending ticket text to it` +
        (allowed ? ` (the allowed remote host is ${String(allowed)})` : '') +
        ': an admin records the allowance with a reason first (ai.allowRemoteHost)',
    );
  }
};
