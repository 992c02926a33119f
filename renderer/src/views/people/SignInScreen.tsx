// The console's first screen on a ledger with accounts. Errors are the core's own sentences (wrong password,
// locked until…, disabled). A demo database lists its demo accounts — and only a demo does.
import { useState, type FormEvent } from 'react';
import { useAuth } from '../../state/auth.ts';
import './people.css';

export function SignInScreen() {
  const auth = useAuth((s) => s.auth);
  const notice = useAuth((s) => s.notice);
  const signIn = useAuth((s) => s.signIn);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const result = await signIn(name.trim(), password);
    setBusy(false);
    if (!result.ok) {
      setError(result.message);
      setPassword('');
    }
  };

  const demo = auth?.demoAccounts ?? [];
  return (
    <main className="signin" data-testid="signin-screen">
      <form className="signin-card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <h1 id="signin-title">
          <span className="brand-mark" aria-hidden="true">◆</span> Sign in to Attest
        </h1>
        <p className="muted">Every act you take is recorded on the ledger under your name.</p>
        {notice && <p className="notice notice-waiting" data-testid="signin-notice">{notice}</p>}
        <label>
          Login name
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="username" autoFocus required data-testid="signin-name" />
        </label>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required data-testid="signin-password" />
        </label>
        {error && <p className="notice notice-error" role="alert" data-testid="signin-error">{error}</p>}
        <button type="submit" className="button" disabled={busy || !name.trim() || !password} data-testid="signin-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {demo.length > 0 && (
        <section className="signin-card" data-testid="demo-accounts" aria-labelledby="demo-title">
          <h2 id="demo-title">Demo accounts</h2>
          <p className="muted">This is a demo database: its passwords are published, so it is never a ledger of record.</p>
          <table className="people-table">
            <thead>
              <tr><th>Name</th><th>Role</th><th>Login</th><th>Password</th><th /></tr>
            </thead>
            <tbody>
              {demo.map((account) => (
                <tr key={account.account} data-testid="demo-account" data-account={account.account} data-display={account.display} data-role={account.role} data-password={account.password}>
                  <td>{account.display}</td>
                  <td className={`role role-${account.role}`}>{account.role}</td>
                  <td className="mono">{account.account}</td>
                  <td className="mono">{account.password}</td>
                  <td>
                    <button type="button" className="link-button" onClick={() => { setName(account.account); setPassword(account.password); }} data-testid="demo-account-use">
                      Use
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
