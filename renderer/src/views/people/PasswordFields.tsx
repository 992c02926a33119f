import { useState } from 'react';

/** A new password typed twice; `value` is the password once both agree, else null. */
export function usePasswordTwice() {
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const mismatch = second.length > 0 && first !== second;
  return {
    value: first && first === second ? first : null,
    mismatch,
    reset: () => {
      setFirst('');
      setSecond('');
    },
    fields: (testId: string) => (
      <>
        <label>
          New password
          <input type="password" value={first} onChange={(e) => setFirst(e.target.value)} autoComplete="new-password" data-testid={`${testId}-password`} />
        </label>
        <label>
          New password again
          <input type="password" value={second} onChange={(e) => setSecond(e.target.value)} autoComplete="new-password" data-testid={`${testId}-password-again`} />
        </label>
        {mismatch && <span className="oc-error" data-testid={`${testId}-mismatch`}>The two passwords differ.</span>}
        <span className="muted small">At least 12 characters, not a common password, not your name.</span>
      </>
    ),
  };
}
