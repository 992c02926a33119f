// The browser's side of the console phase: real HTTP requests to the bridge on 127.0.0.1, with the run's token
// header and the HttpOnly session cookie the bridge sets at sign-in — what renderer/src/api/http.ts sends.
export class ConsoleClient {
  private cookie = '';
  private readonly port: number;
  private readonly token: string;
  constructor(port: number, token: string) {
    this.port = port;
    this.token = token;
  }

  async call<T = unknown>(method: string, input: unknown = {}): Promise<T> {
    const response = await fetch(`http://127.0.0.1:${this.port}/api/rpc/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-attest-token': this.token, ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify(input),
    });
    const session = response.headers.getSetCookie().find((c) => c.startsWith('attest_session='));
    if (session) this.cookie = session.split(';')[0]!;
    const body = (await response.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
    if (!body.ok) throw new Error(`${method}: ${body.error.code}: ${body.error.message}`);
    return body.value;
  }
}
