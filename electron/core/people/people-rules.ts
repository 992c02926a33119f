// The people rule of the ledger, on every append path (console, CLI, JSONL import, team sync): a person named by
// account must hold an enabled account and be named by their printed name; once the ledger has accounts, every
// act of a person using Attest must name one. Helpdesk agents from imported tickets are people of the source
// system, not accounts, and are not concerned.
import { ACCOUNT_ACTOR_PREFIX } from '../../../shared/domain.ts';
import { eventTypeSpec } from '../ledger/event-registry.ts';
import type { EventRule } from '../ledger/event-types/types.ts';
import type { LedgerReader, StoredEvent } from '../ledger/ledger-reader.ts';
import { LineError } from '../ledger/line-error.ts';
import { foldPeople } from './accounts.ts';
import { ACCOUNT_EVENT_TYPES } from './people-repository.ts';

function accountEvents(ledger: LedgerReader): StoredEvent[] {
  return ACCOUNT_EVENT_TYPES.flatMap((type) => ledger.ledgerWide(type)).sort((a, b) => a.seq - b.seq);
}

export const personActsNameAnAccount: EventRule = (event, ledger) => {
  const actor = event.actor;
  const namesAccount = actor.kind === 'human' && actor.id !== undefined && actor.id.startsWith(ACCOUNT_ACTOR_PREFIX);
  const spec = eventTypeSpec(event.type);
  if (!namesAccount && spec?.actedBy !== 'person') return;
  const people = foldPeople(accountEvents(ledger));
  if (namesAccount) {
    const name = actor.id!.slice(ACCOUNT_ACTOR_PREFIX.length);
    const account = people.accounts.get(name);
    if (!account) throw new LineError('actor.id', `"${actor.id}" is not an account of this ledger`);
    if (!account.enabled) throw new LineError('actor.id', `the account "${name}" is disabled: it cannot act`);
    if (actor.name !== account.display) throw new LineError('actor.name', `must be the printed name of "${name}" ("${account.display}")`);
    // A file states only its importer's own acts: nobody imports an act in another person's name.
    if (event.fromFile && event.fromFile.importedBy?.id !== actor.id) {
      throw new LineError('actor.id', `names "${actor.id}" but the file is imported by ${event.fromFile.importedBy?.id ?? 'nobody signed in'}: a file may state only the importing person's own acts`);
    }
  } else if (people.required) {
    throw new LineError('actor', `this ledger has accounts: "${event.type}" records a person's act and must name their account ({"kind":"human","id":"acct:<name>","name":"<printed name>"})`);
  }
  // An act that is signed once the ledger has accounts cannot come from a file, which carries no signature.
  if (event.fromFile && people.required && spec?.signedOnceAccounts?.(event.payload)) {
    throw new LineError('type', `"${event.type}" here is an act that needs an electronic signature, which a file cannot carry: do it in the console or with its CLI command`);
  }
};
