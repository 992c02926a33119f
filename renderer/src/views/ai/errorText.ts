import type { ContractError } from '../../../../shared/contract.ts';

/** A contract error as one line, with zod's per-field details when the input was refused. */
export function errorText(error: ContractError): string {
  return error.details?.length ? `${error.message}: ${error.details.join('; ')}` : error.message;
}
