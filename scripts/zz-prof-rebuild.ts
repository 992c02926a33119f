import { openDatabase } from '../electron/core/db/connection.ts';
import { registerFeatures } from '../electron/core/features.ts';
import { rebuildAllProjections } from '../electron/core/derived/refresh.ts';
registerFeatures();
const db = openDatabase(process.argv[2]!);
const t = performance.now();
const r = db.transaction(() => rebuildAllProjections(db)).immediate();
console.log(JSON.stringify(r), ((performance.now() - t) / 1000).toFixed(2), 's');
db.close();
