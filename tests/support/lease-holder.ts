// Another console's AI that takes one ticket's lease and then hangs (the test kills it with SIGKILL): a holder that
// dies holding a lease, never renewing or releasing it. Run as `node lease-holder.ts URL TICKET SECONDS`.
import { TeamAiLeases } from '../../electron/core/team/ai-lease.ts';
import { teamPool } from '../../electron/core/team/team-repository.ts';

const [url, ticket, seconds] = process.argv.slice(2) as [string, string, string];
const pool = teamPool(url, { max: 1, application: 'attest-dying-console' });
// Renewal far beyond the lease: this holder must look dead to the others from the moment it is killed.
const leases = new TeamAiLeases({ pool, replicaId: 'dying-console', catchUp: async () => undefined, seconds: Number(seconds), renewEveryMs: 3_600_000 });
const lease = await leases.acquire(ticket);
process.stdout.write(lease ? `held ${leases.holder}\n` : 'refused\n');
setInterval(() => undefined, 60_000);
