import { parseInput } from '../../../../shared/contract.ts';
import { CATEGORY_MODES, type CategoryMode } from '../../../../shared/domain.ts';
import { categoryMode, listCategoryModes } from '../../../core/categories/category-modes.ts';
import { recordEvents } from '../../../core/derived/record-events.ts';
import type { Command } from '../command.ts';
import { existingDb, withDb } from '../db-args.ts';
import { CLI_OPERATIONS, SIGN_IN_OPTIONS, withPersonWrite } from '../cli-person.ts';
import { CliError, report } from '../output.ts';
import { cliSignature, SIGNATURE_OPTIONS, signCliAct, type SignatureFlags } from '../cli-signature.ts';

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
    usage: 'attest categories set --db FILE CATEGORY off|draft|auto --reason TEXT [--user NAME [--meaning M --sign-reason TEXT for auto]] [--json]',
    options: { ...SIGN_IN_OPTIONS, ...SIGNATURE_OPTIONS, reason: { type: 'string' } },
    run: async ({ values, positionals }) => {
      const [category, mode] = positionals;
      if (!category || !mode) throw new CliError('categories set: name a CATEGORY and a mode (off, draft or auto)', 2);
      if (!CATEGORY_MODES.includes(mode as CategoryMode)) throw new CliError(`mode "${mode}": must be one of ${CATEGORY_MODES.join(', ')}`, 2);
      const reason = typeof values.reason === 'string' ? values.reason.trim() : '';
      if (!reason) throw new CliError('--reason TEXT is required: a mode change records why', 2);
      const parsed = parseInput('categories.setMode', { category, mode, reason });
      if (!parsed.ok) throw new CliError(parsed.error.details?.join('; ') ?? parsed.error.message, 2);
      const operation = CLI_OPERATIONS['categories set'];
      const row = await withPersonWrite(existingDb(values as { db?: string }), values as { user?: string }, operation, `categories set ${category} ${mode}`, (db, who) => {
        if (categoryMode(db, category) !== mode) {
          const [recorded] = recordEvents(db, [{ type: 'category.mode', at: new Date().toISOString(), actor: who.actor, category, mode, reason }]);
          // Switching to auto (AI replies without review) is signed once the ledger has accounts.
          if (mode === 'auto') signCliAct(db, cliSignature(values as SignatureFlags, who, reason), recorded!.seq);
        }
        return listCategoryModes(db).find((r) => r.category === category);
      });
      if (!row) throw new CliError(`${category}: no ticket has this category and its mode is already ${mode}; nothing recorded`);
      report(values.json === true, row, `${row.category}: ${row.mode} (${row.changedBy}: ${row.reason})`);
      return 0;
    },
  },
];
