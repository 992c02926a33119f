// Who may call what. Enforced in the core, whatever adapter the call came through.
import type { MethodName } from '../../../shared/contract.ts';
import type { Role } from '../../../shared/domain.ts';

const EVERYONE: readonly Role[] = ['admin', 'supervisor', 'auditor'];
const WRITERS: readonly Role[] = ['admin', 'supervisor'];

const ALLOWED: Record<MethodName, readonly Role[]> = {
  'session.info': EVERYONE,
  'tickets.list': EVERYONE,
  'tickets.get': EVERYONE,
  'tickets.facets': EVERYONE,
  'ledger.status': EVERYONE,
  'ledger.verify': EVERYONE,
  'import.jsonl': WRITERS,
};

export function isAllowed(role: Role, method: MethodName): boolean {
  return ALLOWED[method].includes(role);
}
