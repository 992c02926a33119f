// The signatures given to a record, as Part 11 §11.50 asks them shown: printed name, meaning, time, and the reason.
import type { SignatureRow } from '../../../shared/contracts/people.ts';
import { formatTimestamp } from '../lib/format.ts';
import './signature.css';

export function signatureText(signature: SignatureRow): string {
  return `Signed by ${signature.display} — ${signature.meaning} — ${formatTimestamp(signature.at)} — ${signature.reason}`;
}

export function SignatureLines({ signatures }: { signatures: readonly SignatureRow[] | undefined }) {
  if (!signatures?.length) return null;
  return (
    <ul className="signature-lines">
      {signatures.map((signature) => (
        <li
          key={signature.seq}
          className={signature.valid ? 'signature-line' : 'signature-line is-invalid'}
          data-testid="signature-line"
          data-valid={signature.valid}
          title={`signature #${signature.seq} signs #${signature.signedSeq} (hash ${signature.signedHash})`}
        >
          {signatureText(signature)}
          {signature.valid ? null : <strong> — the signed record no longer matches this signature</strong>}
        </li>
      ))}
    </ul>
  );
}
