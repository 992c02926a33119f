// The evidence map names only event types the ledger accepts, covers every obligation the issue lists, and the README
// shows the same table — so the map cannot drift from the code or from the README.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { knownEventTypes } from '../../electron/core/ledger/event-registry.ts';

const EVIDENCE = readFileSync(new URL('../../resources/auditor/evidence.md', import.meta.url), 'utf8');
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The table's lines: from its header to the first line that is not a table row. */
function tableLines(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| Asked for |'));
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines.slice(start, end < 0 ? undefined : end);
}

function rows(text: string): string[][] {
  return tableLines(text)
    .slice(2)
    .map((line) => line.slice(1, -1).split(' | ').map((cell) => cell.trim()));
}

describe('the evidence map', () => {
  const table = rows(EVIDENCE);

  it('has one row per obligation, each with what is asked, event types, a verifier check and what is not covered', () => {
    expect(tableLines(EVIDENCE)[0]).toBe('| Asked for | What is asked | Event types | Verifier check | Not covered by Attest |');
    expect(table.map((row) => row[0])).toEqual([
      'EU AI Act Art. 12', 'EU AI Act Art. 19', 'EU AI Act Art. 26', 'EU AI Act Art. 50', 'DORA RTS Art. 12',
      '21 CFR 11.10(e)', '21 CFR 11.50', '21 CFR 11.70', 'SOC 2 CC7.2', 'SOC 2 CC8.1', 'Outcome-priced billing',
    ]);
    for (const row of table) {
      expect(row, row[0]).toHaveLength(5);
      for (const cell of row) expect(cell.length, `${row[0]}: an empty cell`).toBeGreaterThan(0);
      expect(row[2], `${row[0]} names no event type`).toMatch(/`[a-z]/);
    }
  });

  it('names only registered event types (every backticked name in the event types column)', () => {
    const registered = new Set(knownEventTypes());
    const named = table.flatMap((row) => [...row[2]!.matchAll(/`([^`]+)`/g)].map((match) => ({ obligation: row[0], type: match[1]! })));
    // In this column backticks mark event types only (fields are named in plain words).
    const unknown = named.filter(({ type }) => !registered.has(type));
    expect(unknown).toEqual([]);
    expect(named.length).toBeGreaterThan(30);
  });

  it('is the README\'s "Evidence map" table, line for line', () => {
    const section = README.slice(README.indexOf('\n## Evidence map\n'));
    expect(README.includes('\n## Evidence map\n')).toBe(true);
    expect(tableLines(section)).toEqual(tableLines(EVIDENCE));
  });
});
