// Errors the core reports to callers as something they can act on, not as an internal failure.

/** The thing asked for does not exist (→ `not_found`). */
export class NotFoundError extends Error {}

/** The request is well-formed but cannot be honoured as asked: a bad period, no open dispute… (→ `invalid_input`). */
export class InputError extends Error {}

/** A refusal decided by the core beyond the permission table (another person's password, a locked account…) (→ `forbidden`). */
export class ForbiddenError extends Error {}
