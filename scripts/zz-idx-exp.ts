import { openDatabase } from '../electron/core/db/connection.ts';
import { registerFeatures } from '../electron/core/features.ts';
import { rebuildAllProjections } from '../electron/core/derived/refresh.ts';
registerFeatures();
const db = openDatabase(process.argv[2]!);
const drop = process.argv[3] === 'drop';
const tables = ['tickets', 'messages', 'status_changes', 'sla_clocks', 'sla_outcomes', 'kpi_ticket_facts'];
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
let saved: { name: string; sql: string }[] = [];
const c0 = cpu();
db.transaction(() => {
  if (drop) {
    saved = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map(() => '?').join(',')})`).all(...tables) as any;
    for (const s of saved) db.exec(`DROP INDEX ${s.name}`);
  }
  const r = rebuildAllProjections(db);
  const c1 = cpu();
  for (const s of saved) db.exec(s.sql);
  const c2 = cpu();
  console.log(drop ? 'drop' : 'keep', 'rebuild cpu', (c1 - c0).toFixed(2), 'index build cpu', (c2 - c1).toFixed(2), JSON.stringify(Object.fromEntries(Object.entries(r.seconds).map(([k, v]) => [k, +v.toFixed(2)]))));
}).immediate();
db.close();
