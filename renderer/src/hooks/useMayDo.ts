// Whether the signed-in person may call a method, and if not the sentence that says why — from the one
// permission table the core enforces (shared/permissions.ts). Every control that would call a method the role
// may not call is disabled with this reason before anything is clicked.
import { useId } from 'react';
import { mayDo, refusal, type Operation } from '../../../shared/permissions.ts';
import { roleOf, useAuth } from '../state/auth.ts';
import { useSession } from '../state/session.ts';

export interface Permission {
  allowed: boolean;
  /** The refusal sentence when not allowed, else null. */
  reason: string | null;
  /** Id of the visible note that carries the reason (for aria-describedby); see RefusalNote. */
  noteId: string;
  /**
   * Props for the control itself: disabled, its title and its description, and `data-method` naming the contract
   * method(s) it calls (space separated) so a test can check every control against the permission table.
   */
  control: { disabled?: true; title?: string; 'aria-describedby'?: string; 'data-method'?: string };
}

export function useRole() {
  const auth = useAuth((s) => s.auth);
  const sessionRole = useSession((s) => s.session?.role ?? null);
  return roleOf(auth, sessionRole);
}

export function useMayDo(...operations: Operation[]): Permission {
  const role = useRole();
  const noteId = useId();
  // Until the role is known nothing is offered as allowed; the core would refuse it anyway.
  const method = operations.length > 0 ? { 'data-method': operations.join(' ') } : {};
  const denied = operations.find((operation) => !mayDo(role, operation));
  if (denied === undefined) return { allowed: true, reason: null, noteId, control: method };
  const reason = capitalise(refusal(role, denied));
  return { allowed: false, reason, noteId, control: { disabled: true, title: reason, 'aria-describedby': noteId, ...method } };
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1) + '.';
