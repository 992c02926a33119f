// The README's role table is the permission table's, generated: change one without the other and this fails.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../shared/permissions.ts';
import { permissionsTable, withGeneratedTable, TABLE_END, TABLE_START } from '../../scripts/permissions-table.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe("the README's role table", () => {
  it('is exactly the table generated from shared/permissions.ts (node scripts/permissions-table.ts --write README.md)', () => {
    const start = README.indexOf(TABLE_START);
    const end = README.indexOf(TABLE_END);
    expect(start, 'the README has the table block').toBeGreaterThanOrEqual(0);
    expect(README.slice(start + TABLE_START.length, end).trim()).toBe(permissionsTable());
    expect(withGeneratedTable(README)).toBe(README);
  });

  it('has one row per operation saying which roles may do it', () => {
    const rows = permissionsTable().split('\n').slice(2);
    expect(rows).toHaveLength(Object.keys(PERMISSIONS).length);
    expect(rows).toContain("| `users.add` | create an account | ✓ | — | — |");
    expect(rows).toContain('| `outcomes.disputeOpen` | flag a dispute | ✓ | — | ✓ |');
    expect(rows).toContain('| `auth.login` | sign in (anyone, signed in or not) | ✓ | ✓ | ✓ |');
  });
});
