// A method's answer already written as JSON (UTF-8 bytes) by the read thread that computed it.
//
// Why: at a million tickets a month's statement is 12–18 MB of JSON (60,000 lines). Handed over as an object, the
// console's thread first rebuilt it from the thread's message (structured clone: 100–210 ms) and then wrote it as
// JSON for the HTTP bridge (75–290 ms), and every other request waited meanwhile: the bench's longest stalls
// (290–380 ms) were all statements. As bytes the answer is moved between threads (the buffer is transferred, not
// copied) and written to the socket as it is: the console's thread neither parses nor encodes it.
// Adapters that write JSON (the HTTP bridge, the Electron IPC adapter) ask for answers in this form; every other
// caller of the core gets the value, parsed once on arrival.

export class JsonText<T = unknown> {
  readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /** `value` written as JSON, exactly as JSON.stringify writes it. */
  static of<T>(value: T): JsonText<T> {
    return new JsonText<T>(new TextEncoder().encode(JSON.stringify(value) ?? 'null'));
  }

  /** The value, read back from its JSON (what a caller outside the wire gets). */
  parse(): T {
    return JSON.parse(new TextDecoder().decode(this.bytes)) as T;
  }
}

/** Whether an answer is JSON text rather than a value. */
export function isJsonText(value: unknown): value is JsonText {
  return value instanceof JsonText;
}
