import type { ChangeEvent } from 'react';
import { useMayDo } from '../hooks/useMayDo.ts';
import { useImporter } from '../state/importer.ts';
import { RefusalNote } from './RefusalNote.tsx';

export function ImportButton() {
  const busyFile = useImporter((s) => s.busyFile);
  const importFile = useImporter((s) => s.importFile);
  // The core enforces permissions; this only avoids offering a button that is bound to fail, and says why.
  const permission = useMayDo('import.jsonl');

  const onChange = (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (file) void importFile(file).finally(() => {
      input.value = ''; // allow importing the same file again
    });
  };

  return (
    <span className="import-jsonl">
      <label
        className={`button ${busyFile || !permission.allowed ? 'is-busy' : ''}`}
        title={permission.reason ?? 'Append events from a .jsonl file to the ledger'}
      >
        <input
          type="file"
          accept=".jsonl,.ndjson,application/jsonl,application/x-ndjson"
          className="visually-hidden"
          data-testid="import-input"
          {...permission.control}
          disabled={busyFile !== null || !permission.allowed}
          onChange={onChange}
        />
        {busyFile ? `Importing ${busyFile}…` : 'Import JSONL…'}
      </label>
      <RefusalNote permission={permission} className="refusal-note-dark" />
    </span>
  );
}
