// A console job's thread (job-thread.ts starts it). This file lowers the thread's priority and only then loads the job
// itself (job-worker-main.ts): its modules, the whole core, take most of a second of the processor to load, and loaded
// at the normal priority they crowded the console's thread — at a million tickets, "Verify now", the outcome
// verification and an import starting together held it for 146 ms. Background work: the console's own thread and its
// read threads get the processor first.
import { runAsBackgroundWork } from '../verification/background-priority.ts';

runAsBackgroundWork();
void import('./job-worker-main.ts');
