// A Freshdesk export of many tickets for tests that need a long import: the fixture's first ticket, renumbered.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FRESHDESK = fileURLToPath(new URL('../fixtures/importers/freshdesk-tickets.csv', import.meta.url));

/** Writes `dir/big.csv`, a Freshdesk export of `rows` tickets, and returns its path. */
export function bigFreshdeskCsv(dir: string, rows: number): string {
  const [header, first] = readFileSync(FRESHDESK, 'utf8').split('\n');
  const lines = [header!];
  for (let i = 0; i < rows; i++) lines.push(first!.replace(/^1001,/, `${100000 + i},`).replace('carla@example.com', `c${i}@example.com`).replace(',501,', `,${5000 + i},`));
  const path = join(dir, 'big.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
