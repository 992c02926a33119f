// Electron IPC adapter: one `ipcMain.handle` channel per contract method, plus push of core events to
// the renderer. Written against small structural interfaces so it runs (and is tested) in plain Node;
// the real `ipcMain` / `WebContents` satisfy them.
import { CORE_EVENT_NAMES, METHOD_NAMES } from '../../../shared/contract.ts';
import type { Result } from '../../../shared/contract.ts';
import type { CoreHandle } from '../../core/service-api.ts';
import { isJsonText } from '../../core/json-text.ts';
import { EVENT_CHANNEL_PREFIX, METHOD_CHANNEL_PREFIX, eventChannel, methodChannel, type IpcAnswer } from './channels.ts';

export { EVENT_CHANNEL_PREFIX, METHOD_CHANNEL_PREFIX, eventChannel, methodChannel };

/** The part of `IpcMainInvokeEvent` the adapter reads. */
export interface IpcInvokeEventLike {
  /** The calling frame: its URL, and its parent (null for a window's top frame; a sub-frame is never trusted). */
  readonly senderFrame?: { readonly url: string; readonly parent?: unknown } | null;
  /** The window's WebContents: its id keys the window's signed-in session. */
  readonly sender?: { readonly id: number };
}

/** The part of Electron's `ipcMain` the adapter uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The part of `WebContents` the event forwarder uses. */
export interface EventTargetLike {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** The URL of the calling frame when it is a window's top frame; null for a sub-frame, or a frame gone or navigated. */
function topFrameUrl(event: IpcInvokeEventLike): string | null {
  try {
    // `senderFrame` is a getter in Electron; it is null (or throws) once the frame navigated or died.
    const frame = event.senderFrame;
    if (!frame || (frame.parent !== null && frame.parent !== undefined)) return null;
    const url = frame.url;
    return typeof url === 'string' && url.length > 0 ? url : null;
  } catch {
    return null;
  }
}

/** The signed-in session of each window (WebContents id → token); the token never reaches the renderer. */
export type WindowSessions = Map<number, string>;

/**
 * Registers `attest:<method>` for every contract method. Calls from a sub-frame or from frames that
 * `isTrustedSender` rejects get `{ ok: false, error: { code: 'forbidden' } }`, and calls with anything but one
 * input get `invalid_input`; neither reaches the core. The core validates the input against the method's zod
 * schema (shared/contract.ts) before any handler runs. Returns a function that removes the handlers again (used
 * when the database is reopened).
 */
export function registerCoreIpc(
  ipcMain: IpcMainLike,
  core: CoreHandle,
  isTrustedSender: (frameUrl: string) => boolean,
  sessions: WindowSessions = new Map(),
): () => void {
  const channels: string[] = [];
  for (const method of METHOD_NAMES) {
    const channel = methodChannel(method);
    ipcMain.handle(channel, async (event: IpcInvokeEventLike, ...args: unknown[]): Promise<IpcAnswer> => {
      const url = topFrameUrl(event);
      let trusted = false;
      try {
        trusted = url !== null && isTrustedSender(url);
      } catch {
        trusted = false;
      }
      if (!trusted) {
        return {
          ok: false,
          error: { code: 'forbidden', message: `${method} refused: the calling frame is not the Attest console` },
        };
      }
      // The preload sends exactly one argument (the input, possibly undefined); anything else is not the console.
      if (args.length > 1) {
        return { ok: false, error: { code: 'invalid_input', message: `${method} takes one input, got ${args.length} arguments` } };
      }
      try {
        const window = event.sender?.id ?? -1;
        const result = await core.invokeForWire(method, args[0], {
          via: 'electron',
          session: sessions.get(window) ?? null,
          onSession: (token) => (token ? sessions.set(window, token) : sessions.delete(window)),
        });
        // JSON a read thread wrote goes to the renderer as bytes, parsed by the preload (channels.ts).
        return result.ok && isJsonText(result.value) ? { ok: true, valueJson: result.value.bytes } : (result as Result<unknown>);
      } catch (error) {
        // CoreHandle.invoke promises never to throw; keep the renderer's contract if it does anyway.
        return {
          ok: false,
          error: { code: 'internal', message: error instanceof Error ? error.message : String(error) },
        };
      }
    });
    channels.push(channel);
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/**
 * Forwards every core event (CORE_EVENT_NAMES) to the live windows as `attest-event:<name>`.
 * `targets` is asked on every event so windows opened later are included. Returns an unsubscribe.
 */
export function forwardCoreEvents(core: CoreHandle, targets: () => Iterable<EventTargetLike>): () => void {
  const unsubscribers = CORE_EVENT_NAMES.map((name) =>
    core.subscribe(name, (payload) => {
      const channel = eventChannel(name);
      for (const target of targets()) {
        try {
          if (!target.isDestroyed()) target.send(channel, payload);
        } catch {
          // A window closing mid-send is not an error worth surfacing.
        }
      }
    }),
  );
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
