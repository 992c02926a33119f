// The browser-mode access token arrives once in the URL fragment (`#token=...`), which is never sent
// to the server. We keep it in sessionStorage so a reload works, and strip it from the address bar.
const STORAGE_KEY = 'attest.token';

let cached: string | null | undefined;

export function readToken(): string | null {
  if (cached !== undefined) return cached;
  const fromHash = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    try {
      sessionStorage.setItem(STORAGE_KEY, fromHash);
    } catch {
      // storage may be disabled; the in-memory copy still works until reload
    }
    const clean = window.location.pathname + window.location.search;
    window.history.replaceState(window.history.state, '', clean);
    cached = fromHash;
    return cached;
  }
  try {
    cached = sessionStorage.getItem(STORAGE_KEY);
  } catch {
    cached = null;
  }
  return cached;
}
