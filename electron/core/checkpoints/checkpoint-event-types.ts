// Ledger-wide: a signed checkpoint of the ledger (C2SP tlog-checkpoint note over the RFC 9162 root of the
// first treeSize events), stored with the ledger so `attest verify` can check history against it.
import { z } from 'zod';
import type { EventTypeSpec } from '../ledger/event-types/types.ts';
import { checkpointCosignedRule } from './cosignature-rules.ts';
import { checkpointNoteRule } from './checkpoint-rules.ts';

const BASE64_HASH = /^[A-Za-z0-9+/]{43}=$/;

export const CHECKPOINT_EVENT_TYPES: Record<string, EventTypeSpec> = {
  checkpoint: {
    scope: 'ledger',
    writtenBy: 'attest',
    payload: z
      .object({
        origin: z.string().min(1),
        treeSize: z.number().int().nonnegative(),
        rootHash: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be the base64 of a 32-byte hash'),
        note: z.string().min(1),
        key: z.string().regex(/^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/, 'must be a verifier key <name>+<hex key ID>+<base64 key>'),
      })
      .strict(),
    rules: [checkpointNoteRule],
  },
  // Ledger-wide: a second party's C2SP tlog-cosignature of a stored checkpoint (the buyer's auditor), checked
  // against the checkpoint it names on every append path (cosignature-rules.ts).
  'checkpoint.cosigned': {
    scope: 'ledger',
    writtenBy: 'attest',
    payload: z
      .object({
        checkpointSeq: z.number().int().positive(),
        treeSize: z.number().int().nonnegative(),
        rootHash: z.string().regex(BASE64_HASH, 'must be the base64 of a 32-byte hash'),
        cosigner: z.string().regex(/^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/, 'must be a cosigner key <name>+<hex key ID>+<base64 key>'),
        timestamp: z.number().int().nonnegative(),
        signature: z.string().min(1),
      })
      .strict(),
    rules: [checkpointCosignedRule],
  },
};
