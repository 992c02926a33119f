// The two names of a new account: the login name (never changes; the ledger's "acct:<name>") and the printed name
// every act and signature shows.
export function AccountNameFields(props: { name: string; display: string; onName(value: string): void; onDisplay(value: string): void; testIdPrefix: string }) {
  return (
    <>
      <label>
        Login name
        <input value={props.name} onChange={(e) => props.onName(e.target.value)} autoComplete="off" data-testid={`${props.testIdPrefix}-name`} />
      </label>
      <label>
        Printed name
        <input value={props.display} onChange={(e) => props.onDisplay(e.target.value)} data-testid={`${props.testIdPrefix}-display`} />
      </label>
    </>
  );
}
