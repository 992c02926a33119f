import type { ContractError, Result } from '../../../shared/contract.ts';

export function failure(code: ContractError['code'], message: string, details?: string[]): Result<never> {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

export function describeThrown(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Accepts only objects shaped like a Result; anything else becomes an `internal` error. */
export function asResult<T>(body: unknown, fallbackMessage: string): Result<T> {
  if (body && typeof body === 'object' && 'ok' in body) {
    const candidate = body as { ok: unknown; value?: unknown; error?: unknown };
    if (candidate.ok === true) return { ok: true, value: candidate.value as T };
    if (candidate.ok === false && candidate.error && typeof candidate.error === 'object') {
      const e = candidate.error as Partial<ContractError>;
      return failure(
        e.code ?? 'internal',
        typeof e.message === 'string' ? e.message : fallbackMessage,
        Array.isArray(e.details) ? e.details.map(String) : undefined,
      );
    }
  }
  return failure('internal', fallbackMessage);
}
