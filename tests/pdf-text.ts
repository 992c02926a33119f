// The text of an uncompressed pdfkit PDF (statements are written with compress: false), one string per text
// operation: the hex strings of each TJ array joined (kerning numbers dropped), decoded as WinAnsi.
const WIN_ANSI = new TextDecoder('windows-1252');

export function pdfTextLines(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  return [...source.matchAll(/\[((?:<[0-9a-f]*>\s*-?[\d.]*\s*)+)\]\s*TJ/g)].map((match) =>
    [...match[1]!.matchAll(/<([0-9a-f]*)>/g)].map((hex) => WIN_ANSI.decode(Buffer.from(hex[1]!, 'hex'))).join(''),
  );
}
