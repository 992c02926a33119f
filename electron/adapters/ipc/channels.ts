// Channel naming shared by the main-process adapter and the preload. Type-only imports: the preload
// bundle must stay free of zod and the rest of the core.
import type { CoreEventName, MethodName, Result } from '../../../shared/contract.ts';

export const METHOD_CHANNEL_PREFIX = 'attest:';
export const EVENT_CHANNEL_PREFIX = 'attest-event:';

export function methodChannel(method: MethodName): string {
  return `${METHOD_CHANNEL_PREFIX}${method}`;
}

export function eventChannel(event: CoreEventName): string {
  return `${EVENT_CHANNEL_PREFIX}${event}`;
}

/**
 * What an attest:<method> channel answers: the Result, or a successful value as the JSON a read thread of the core
 * already wrote (electron/core/json-text.ts). Its bytes cross to the renderer as they are and are parsed there, so
 * the main process never rebuilds or copies a large answer (a month's statement at a million tickets: 18 MB).
 */
export type IpcAnswer = Result<unknown> | { ok: true; valueJson: Uint8Array };

/** The Result an IpcAnswer stands for (the preload's side). */
export function resultOfIpcAnswer(answer: IpcAnswer): Result<unknown> {
  return 'valueJson' in answer ? { ok: true, value: JSON.parse(new TextDecoder().decode(answer.valueJson)) } : answer;
}

// Exhaustive (checked by `satisfies`) list of push events the preload lets the renderer subscribe to.
const EVENT_SET = { 'ledger.changed': true, 'chain.status': true, 'ai.draftChunk': true, 'ai.progress': true, 'outcomes.progress': true, 'writes.status': true, 'team.status': true } as const satisfies Record<CoreEventName, true>;
export const PRELOAD_EVENT_NAMES = Object.keys(EVENT_SET) as CoreEventName[];

export function isCoreEventName(name: unknown): name is CoreEventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(EVENT_SET, name);
}
