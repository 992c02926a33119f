// A KPI request the caller must correct (a bad period, an unknown baseline, a cost model in another currency).
import { InputError } from '../errors.ts';

export class KpiInputError extends InputError {}
