// What every part of team mode says about the connection to the team ledger: how it is named (never with its
// password), which failures mean it cannot be reached, and the refusal a console gives while it cannot.

/** Writes are refused because the team ledger cannot be reached or its history differs. */
export class TeamUnavailableError extends Error {}

/** host:port/database of a PostgreSQL URL, never its password. */
export function describeTeam(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`;
  } catch {
    return 'the team ledger';
  }
}

/** Whether an error means the server cannot be reached (rather than a refusal by it). */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004'].includes(code) ||
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(message)
  );
}
