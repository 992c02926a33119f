// Sees every outbound connection a Node process attempts: net.Socket#connect (net.connect, tls.connect, http(s)
// requests and the built-in fetch all open their sockets there), DNS lookups and resolves, and fetch itself. Used
// by the lock-down scan (refuses everything: the scanner must run offline) and by the no-egress test's preload
// (tests/support/egress-preload.ts: records everything, so the test can compare it with the configured host).
import dns from 'node:dns';
import net from 'node:net';

export interface NetworkAttempt {
  /** 'connect': a socket; 'lookup': a DNS question; 'fetch': a fetch() call (its socket is also a 'connect'). */
  kind: 'connect' | 'lookup' | 'fetch';
  /** "host:port" of a TCP connection, the path of a local (Unix) socket, the name looked up, or the fetched URL. */
  target: string;
}

type Mode = { refuse: false } | { refuse: true };

function describeConnect(args: unknown[]): string {
  const [first, second] = args;
  const options = (Array.isArray(first) ? first[0] : first) as unknown;
  if (typeof options === 'object' && options !== null) {
    const o = options as { path?: string; host?: string; hostname?: string; port?: number | string };
    if (typeof o.path === 'string') return o.path;
    return `${o.host ?? o.hostname ?? 'localhost'}:${String(o.port ?? '')}`;
  }
  if (typeof options === 'string' && !/^\d+$/.test(options)) return options; // a local socket path
  return `${typeof second === 'string' ? second : 'localhost'}:${String(options)}`;
}

function fetchTarget(input: unknown): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return (input as { url?: string }).url ?? String(input);
}

/**
 * Reports every attempt to `onAttempt`; with `refuse`, none of them reaches the network (connections fail with
 * ECONNREFUSED-like errors, lookups with ENOTFOUND, fetch rejects). Returns a function that undoes the patches.
 */
export function guardNetwork(onAttempt: (attempt: NetworkAttempt) => void, mode: Mode): () => void {
  const socketConnect = net.Socket.prototype.connect;
  const lookup = dns.lookup;
  const promisesLookup = dns.promises.lookup;
  const resolve = dns.resolve;
  const originalFetch = globalThis.fetch;

  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const target = describeConnect(args);
    onAttempt({ kind: 'connect', target });
    if (mode.refuse) {
      const error = Object.assign(new Error(`network refused: connect ${target}`), { code: 'ECONNREFUSED' });
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return (socketConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;

  const refusedLookup = (hostname: string) => Object.assign(new Error(`network refused: lookup ${hostname}`), { code: 'ENOTFOUND', hostname });
  dns.lookup = function (hostname: string, ...rest: unknown[]) {
    onAttempt({ kind: 'lookup', target: String(hostname) });
    if (mode.refuse) {
      const callback = rest.at(-1) as (error: Error) => void;
      process.nextTick(() => callback(refusedLookup(hostname)));
      return undefined as unknown as ReturnType<typeof dns.lookup>;
    }
    return (lookup as (...a: unknown[]) => unknown).call(dns, hostname, ...rest);
  } as typeof dns.lookup;
  dns.promises.lookup = function (hostname: string, ...rest: unknown[]) {
    onAttempt({ kind: 'lookup', target: String(hostname) });
    if (mode.refuse) return Promise.reject(refusedLookup(hostname));
    return (promisesLookup as (...a: unknown[]) => unknown).call(dns.promises, hostname, ...rest);
  } as typeof dns.promises.lookup;
  dns.resolve = function (hostname: string, ...rest: unknown[]) {
    onAttempt({ kind: 'lookup', target: String(hostname) });
    if (mode.refuse) {
      const callback = rest.at(-1) as (error: Error) => void;
      process.nextTick(() => callback(refusedLookup(hostname)));
      return;
    }
    return (resolve as (...a: unknown[]) => unknown).call(dns, hostname, ...rest);
  } as typeof dns.resolve;
  if (typeof originalFetch === 'function') {
    globalThis.fetch = function (input: Parameters<typeof fetch>[0], init?: RequestInit) {
      const target = fetchTarget(input);
      onAttempt({ kind: 'fetch', target });
      if (mode.refuse) return Promise.reject(new TypeError(`network refused: fetch ${target}`));
      return originalFetch(input, init);
    } as typeof fetch;
  }

  return () => {
    net.Socket.prototype.connect = socketConnect;
    dns.lookup = lookup;
    dns.promises.lookup = promisesLookup;
    dns.resolve = resolve;
    if (typeof originalFetch === 'function') globalThis.fetch = originalFetch;
  };
}

/** Refuses every connection, lookup and fetch, telling `onAttempt` what was tried. */
export function installNetworkRefusal(onAttempt: (what: string) => void): () => void {
  return guardNetwork((attempt) => onAttempt(`${attempt.kind} ${attempt.target}`), { refuse: true });
}
