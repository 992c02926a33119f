// Text from tickets and files reaches PDFs (statement lines, KPI categories). pdfkit's standard fonts encode
// every character they are given, control characters included, and a bidi override (U+202E …) would reorder
// what a reader sees in viewers that apply it; so, as the console shows them literally, a PDF shows them as
// visible escapes (\u202E), never as raw characters.

/** C0 and C1 controls (line breaks and tabs aside) and the Unicode bidi embedding, override and isolate marks. */
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g;

export function printableText(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`).replace(/\r\n?/g, '\n');
}

interface TextWriter {
  text(...args: unknown[]): unknown;
}

/** Makes every text() call of a pdfkit document write printableText: no writer can forget it. */
export function withPrintableText<T extends object>(doc: T): T {
  const writer = doc as unknown as TextWriter;
  const text = writer.text.bind(writer);
  writer.text = (first: unknown, ...rest: unknown[]) => text(typeof first === 'string' ? printableText(first) : first, ...rest);
  return doc;
}
