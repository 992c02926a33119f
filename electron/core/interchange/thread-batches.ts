// Batches of work handed from a thread that prepares them to one that waits for them synchronously (an import appends
// inside one synchronous transaction, so it cannot await a message): the sender posts to a MessagePort and counts on a
// shared word; the receiver waits on that word (Atomics.wait) and takes the message with receiveMessageOnPort. The
// sender stays at most MAX_BATCHES_AHEAD batches ahead, so it never holds more of a file than that.
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** Words of the shared control array. */
const POSTED = 0; // batches the sender has posted (it notifies on this word)
const TAKEN = 1; // batches the receiver has taken (it notifies on this word)
const STOP = 2; // set by the receiver: the sender ends at its next batch
const STARTED = 3; // set by the sender once its code is loaded
/** Bytes of the shared control array both sides are given. */
export const CONTROL_BYTES = 4 * 4;

/** Batches the sender may be ahead of the receiver. */
const MAX_BATCHES_AHEAD = 8;

/** The sending side, in the thread that prepares the batches. */
export class BatchSender<T> {
  private readonly port: MessagePort;
  private readonly words: Int32Array;
  constructor(port: MessagePort, control: SharedArrayBuffer) {
    this.port = port;
    this.words = new Int32Array(control);
    Atomics.store(this.words, STARTED, 1);
    Atomics.notify(this.words, POSTED);
  }

  /** Whether the receiver has asked the sender to end. */
  stopped(): boolean {
    return Atomics.load(this.words, STOP) === 1;
  }

  /** Posts one batch, then waits while the receiver has MAX_BATCHES_AHEAD still to take (or until it stops). */
  send(message: T): void {
    this.port.postMessage(message);
    Atomics.add(this.words, POSTED, 1);
    Atomics.notify(this.words, POSTED);
    for (;;) {
      const taken = Atomics.load(this.words, TAKEN);
      if (this.stopped() || Atomics.load(this.words, POSTED) - taken < MAX_BATCHES_AHEAD) return;
      Atomics.wait(this.words, TAKEN, taken, 1000);
    }
  }

  close(): void {
    this.port.close();
  }
}

/** The sender has not started within the receiver's start timeout (nothing was taken from it). */
export class SenderNotStarted extends Error {}

/** The receiving side, in the thread that waits. */
export class BatchReceiver<T> {
  private readonly port: MessagePort;
  private readonly words: Int32Array;
  /** What the batches are read from, for the errors. */
  private readonly what: string;
  private readonly timeouts: { startMs: number; silenceMs: number };
  constructor(port: MessagePort, control: SharedArrayBuffer, what: string, timeouts: { startMs: number; silenceMs: number }) {
    this.port = port;
    this.words = new Int32Array(control);
    this.what = what;
    this.timeouts = timeouts;
  }

  /** The next batch, waited for in this thread; SenderNotStarted, or an Error when the sender has gone silent. */
  next(): T {
    let waitedMs = 0;
    for (;;) {
      const received = receiveMessageOnPort(this.port);
      if (received) {
        Atomics.add(this.words, TAKEN, 1);
        Atomics.notify(this.words, TAKEN);
        return received.message as T;
      }
      const posted = Atomics.load(this.words, POSTED);
      const started = Atomics.load(this.words, STARTED) === 1;
      if (Atomics.wait(this.words, POSTED, posted, 1000) === 'timed-out') waitedMs += 1000;
      else waitedMs = 0;
      if (!started && waitedMs >= this.timeouts.startMs) throw new SenderNotStarted(`the thread reading ${this.what} did not start`);
      if (started && waitedMs >= this.timeouts.silenceMs) throw new Error(`the thread reading ${this.what} stopped answering`);
    }
  }

  /** Tells the sender to end, and stops listening. */
  close(): void {
    Atomics.store(this.words, STOP, 1);
    Atomics.notify(this.words, TAKEN);
    this.port.close();
  }
}
