import { CATEGORY_MODES, type CategoryMode } from '../../../../shared/domain.ts';
import { categoryMode, listCategoryModes } from '../../../core/categories/category-modes.ts';
import { recordEvents } from '../../../core/derived/record-events.ts';
import type { Command } from '../command.ts';
import { existingDb, withDb, withWriteDb } from '../db-args.ts';
import { CliError, report } from '../output.ts';

export const CATEGORY_COMMANDS: Command[] = [
  {
    name: 'categories',
    usage: 'attest categories --db FILE [--json]',
    run: ({ values }) => {
      const rows = withDb(existingDb(values as { db?: string }), listCategoryModes);
      const human = rows.map((r) => `${r.category.padEnd(20)} ${r.mode.padEnd(6)} ${String(r.tickets).padStart(8)} tickets${r.changedBy ? `  (${r.changedBy}, ${r.changedAt}: ${r.reason})` : ''}`);
      report(values.json === true, rows, human.join('\n'));
      return 0;
    },
  },
  {
    name: 'categories set',
    usage: 'attest categories set --db FILE CATEGORY off|draft|auto --reason TEXT [--user ID] [--json]',
    options: { reason: { type: 'string' }, user: { type: 'string' } },
    run: async ({ values, positionals }) => {
      const [category, mode] = positionals;
      if (!category || !mode) throw new CliError('categories set: name a CATEGORY and a mode (off, draft or auto)', 2);
      if (!CATEGORY_MODES.includes(mode as CategoryMode)) throw new CliError(`mode "${mode}": must be one of ${CATEGORY_MODES.join(', ')}`, 2);
      const reason = typeof values.reason === 'string' ? values.reason.trim() : '';
      if (!reason) throw new CliError('--reason TEXT is required: a mode change records why', 2);
      const user = typeof values.user === 'string' && values.user ? values.user : 'cli';
      const row = await withWriteDb(existingDb(values as { db?: string }), `categories set ${category} ${mode}`, (db) => {
        if (categoryMode(db, category) !== mode) {
          recordEvents(db, [{ type: 'category.mode', at: new Date().toISOString(), actor: { kind: 'human', id: user }, category, mode, reason }]);
        }
        return listCategoryModes(db).find((r) => r.category === category)!;
      });
      report(values.json === true, row, `${row.category}: ${row.mode} (${row.changedBy}: ${row.reason})`);
      return 0;
    },
  },
];
