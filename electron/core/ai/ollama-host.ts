// The address of the model server, and whether it is this computer. Ticket text is sent to this address, so it is
// parsed strictly: http or https only (never file:, data:, ftp: …), no user name, password, path, query or fragment,
// and an explicit port kept exactly as given. Only a loopback address keeps the text on this machine; any other
// needs an admin's ledger-recorded allowance (ai.remote_host, see remote-host-rules.ts).
import { isIP } from 'node:net';
import { InputError } from '../errors.ts';

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
/** Ollama's own port, used when an http address names none (as the Ollama client and OLLAMA_HOST do). */
const OLLAMA_DEFAULT_PORT = '11434';

/** A host setting that is not a usable address, or a host nobody allowed (→ `invalid_input` with the reason). */
export class OllamaHostError extends InputError {}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** The authority exactly as written ("host:port" of "http://host:port/"), to tell an explicit port from none. */
function writtenAuthority(withScheme: string): string {
  return withScheme.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0] ?? '';
}

/**
 * Normalises a host setting (the console's field, `OLLAMA_HOST`: "127.0.0.1:11434", "http://localhost",
 * "https://ollama.lan:8443") to an origin such as "http://127.0.0.1:11434". Throws OllamaHostError naming the
 * problem for anything that is not a plain http(s) server address.
 */
export function normalizeHost(host: string): string {
  const raw = host.trim();
  if (raw === '') throw new OllamaHostError('the Ollama host is empty');
  const scheme = SCHEME.exec(raw)?.[1]?.toLowerCase();
  // "localhost:11434" parses as scheme "localhost:"; only a "scheme://" prefix (or a known scheme) names a scheme.
  const namesScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) || (scheme !== undefined && ['file', 'data', 'javascript', 'blob', 'about', 'mailto', 'ftp', 'ws', 'wss'].includes(scheme));
  if (namesScheme && scheme !== 'http' && scheme !== 'https') {
    throw new OllamaHostError(`the Ollama host must be an http:// or https:// address, not ${scheme}:`);
  }
  const withScheme = namesScheme ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new OllamaHostError(`"${raw}" is not a server address (expected e.g. http://127.0.0.1:11434)`);
  }
  if (url.username || url.password) throw new OllamaHostError('the Ollama host must not carry a user name or password');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new OllamaHostError('the Ollama host is a server address only (no path, query or fragment)');
  }
  if (url.hostname === '') throw new OllamaHostError(`"${raw}" names no host`);
  // The URL parser drops a port that is the scheme's default (":80" for http): it is still the one given.
  const explicitPort = /:\d+$/.test(writtenAuthority(withScheme));
  if (!explicitPort && url.protocol === 'http:') url.port = OLLAMA_DEFAULT_PORT;
  // Written out, so that normalizing the result again keeps it (an origin without a port means Ollama's 11434 here;
  // https's 443 needs no such care, as https gets no other default).
  if (explicitPort && url.protocol === 'http:' && url.port === '') return `${url.origin}:80`;
  return url.origin;
}

/** normalizeHost, or null when the setting is not a valid server address. */
export function tryNormalizeHost(host: string): string | null {
  try {
    return normalizeHost(host);
  } catch {
    return null;
  }
}

function isLoopbackAddress(hostname: string): boolean {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const family = isIP(bare);
  if (family === 4) return bare.split('.')[0] === '127';
  if (family === 6) {
    const lower = bare.toLowerCase();
    if (lower === '::1') return true;
    // An IPv4-mapped loopback address (::ffff:127.x.y.z; the URL parser writes it in hex: ::ffff:7fxx:xxxx).
    const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(lower);
    return mapped !== null && parseInt(mapped[1]!, 16) >> 8 === 127;
  }
  return false;
}

/**
 * Whether a (normalised) host is this computer: 127.0.0.0/8, ::1 or "localhost". Other names are not, even when
 * they resolve to a local address today: a name's resolution can change, the decision must not.
 */
export function isLoopbackHost(origin: string): boolean {
  const hostname = new URL(origin).hostname.toLowerCase();
  return hostname === 'localhost' || isLoopbackAddress(hostname);
}
