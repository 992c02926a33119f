// The browser's side of the console phase: real HTTP requests to the bridge on 127.0.0.1, with the run's token
// header and the HttpOnly session cookie the bridge sets at sign-in — what renderer/src/api/http.ts sends.
// Each request has a connection of its own ("Connection: close"): a kept-alive socket that the server closes for
// idleness just as the next request is written on it fails with ECONNRESET, a client artefact that shows up when the
// server's event loop is blocked for seconds. A loopback connect costs well under a millisecond.
import { request } from 'node:http';

export class ConsoleClient {
  private cookie = '';
  private readonly port: number;
  private readonly token: string;
  constructor(port: number, token: string) {
    this.port = port;
    this.token = token;
  }

  call<T = unknown>(method: string, input: unknown = {}): Promise<T> {
    const body = JSON.stringify(input);
    return new Promise<T>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method: 'POST',
          path: `/api/rpc/${encodeURIComponent(method)}`,
          agent: false,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-attest-token': this.token,
            connection: 'close',
            ...(this.cookie ? { cookie: this.cookie } : {}),
          },
        },
        (res) => {
          const session = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('attest_session='));
          if (session) this.cookie = session.split(';')[0]!;
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            try {
              const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
              if (answer.ok) resolve(answer.value);
              else reject(new Error(`${method}: ${answer.error.code}: ${answer.error.message}`));
            } catch (error) {
              reject(new Error(`${method}: HTTP ${res.statusCode}: ${(error as Error).message}`));
            }
          });
        },
      );
      req.on('error', (error) => reject(new Error(`${method}: ${error.message}`)));
      req.end(body);
    });
  }
}
