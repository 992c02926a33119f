// The console's check thread (check-thread.ts starts it). This file lowers the thread's priority and only then loads
// the check itself (deep-worker-main.ts): its modules, the whole core, take most of a second of the processor to load,
// and loaded at the normal priority they crowded the console's thread — at a million tickets, "Verify now", the outcome
// verification and an import starting together held it for 146 ms. Background work: the console's own thread and its
// read threads get the processor first (the chain threads the check starts inherit the lower priority).
import { runAsBackgroundWork } from './background-priority.ts';

runAsBackgroundWork();
void import('./deep-worker-main.ts');
