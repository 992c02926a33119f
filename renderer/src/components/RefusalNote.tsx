import type { Permission } from '../hooks/useMayDo.ts';

/** The visible reason beside a control the signed-in role may not use (nothing when it may). */
export function RefusalNote({ permission, className }: { permission: Permission; className?: string }) {
  if (permission.allowed) return null;
  return (
    <span id={permission.noteId} className={`refusal-note ${className ?? ''}`} data-testid="refusal-note" role="note">
      {permission.reason}
    </span>
  );
}
