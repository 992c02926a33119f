import type { ChangeEvent } from 'react';
import { useImporter } from '../state/importer.ts';
import { useSession } from '../state/session.ts';

export function ImportButton() {
  const busyFile = useImporter((s) => s.busyFile);
  const importFile = useImporter((s) => s.importFile);
  // The core enforces permissions; this only avoids offering a button that is bound to fail.
  const readOnly = useSession((s) => s.session?.role === 'auditor');

  const onChange = (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (file) void importFile(file).finally(() => {
      input.value = ''; // allow importing the same file again
    });
  };

  return (
    <label
      className={`button ${busyFile || readOnly ? 'is-busy' : ''}`}
      title={readOnly ? 'The auditor role is read-only' : 'Append events from a .jsonl file to the ledger'}
    >
      <input
        type="file"
        accept=".jsonl,.ndjson,application/jsonl,application/x-ndjson"
        className="visually-hidden"
        data-testid="import-input"
        disabled={busyFile !== null || readOnly}
        onChange={onChange}
      />
      {busyFile ? `Importing ${busyFile}…` : 'Import JSONL…'}
    </label>
  );
}
