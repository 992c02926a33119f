// While changes wait for a long write (an import of this console, or another Attest process writing), says so:
// "import of tickets.csv running, your change is queued". The core pushes the queue's state as `writes.status`.
import { useEffect, useState } from 'react';
import type { WriteQueueStatus } from '../../../shared/contract.ts';
import { getApi } from '../api/index.ts';

export function WriteQueueNotice() {
  const [status, setStatus] = useState<WriteQueueStatus | null>(null);
  useEffect(() => getApi().subscribe('writes.status', setStatus), []);
  if (!status?.message) return null;
  return (
    <section className="notice notice-waiting" data-testid="write-queue" role="status">
      <div className="notice-body">
        <strong>{status.message}</strong>
      </div>
    </section>
  );
}
