// The verifier stands on its own: it imports nothing but node:* modules, its canonical JSON is RFC 8785 as the
// `canonicalize` package writes it, and its Merkle roots and inclusion-proof checks are RFC 9162's, compared with
// a tiny recursive routine written here from the RFC's text.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { VERIFIER } from './verifier-kit.ts';

interface VerifierModule {
  jcs(value: unknown): string;
  merkleRoots(leaves: Buffer[], sizes: number[]): Map<number, Buffer>;
  rootFromInclusionProof(leafIndex: number, treeSize: number, leaf: Buffer, proof: Buffer[]): Buffer | null;
}

const load = async (): Promise<VerifierModule> => (await import(pathToFileURL(VERIFIER).href)) as VerifierModule;

describe('the verifier imports nothing but node:*', () => {
  it('every import, export-from and require names a node: module', () => {
    const source = readFileSync(VERIFIER, 'utf8');
    const specifiers = [
      ...source.matchAll(/^\s*import\s[^'"]*?from\s*['"]([^'"]+)['"]/gm),
      ...source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
      ...source.matchAll(/^\s*export\s[^'"]*?from\s*['"]([^'"]+)['"]/gm),
      ...source.matchAll(/\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g),
      ...source.matchAll(/\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g),
    ].map((m) => m[1]!);
    expect(specifiers.length).toBeGreaterThanOrEqual(4);
    expect(specifiers.filter((s) => !s.startsWith('node:'))).toEqual([]);
    // No dynamic import or require with a computed name could slip past the list above.
    expect(source).not.toMatch(/\bimport\s*\(\s*[^'"`\s]/);
    expect(source).not.toMatch(/\brequire\s*\(/);
    expect(source).not.toMatch(/createRequire/);
  });
});

describe('RFC 8785 canonical JSON', () => {
  it('equals the canonicalize package on awkward values', async () => {
    const { jcs } = await load();
    const samples: unknown[] = [
      { b: 1, a: [true, false, null], '': 'empty key' },
      { numbers: [0, -0, 1, -1, 0.1 + 0.2, 1e21, 1e-7, 123456789012345680000, 5e-324, 1.7976931348623157e308, -1.5e-9, 100, 0.000001] },
      { '\u20ac': 'euro', '\r': 'cr', '\ud83d\ude00': 'emoji', '\u0080': 'c1', a: 'z', B: 'y', é: 'e-acute', '10': 'ten', '2': 'two', '1': 'one' },
      { text: 'line\nbreak\ttab "quote" \\ backslash \u0000 \u001f \u007f \u2028 \u2029 \ud83d\ude00 é' },
      { nested: { z: { y: { x: [{ b: 2, a: 1 }, [], {}] } } } },
      [],
      'just a string',
      42,
      null,
    ];
    for (const sample of samples) expect(jcs(sample)).toBe(canonicalize(sample));
  });

  it('equals it on generated objects', async () => {
    const { jcs } = await load();
    let state = 7;
    const next = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const chars = ['a', 'B', 'é', '\u20ac', '\ud83d\ude00', '1', '0', '_', ' ', '"', '\\', '\n', 'ö', 'Z'];
    const key = (): string => Array.from({ length: 1 + Math.floor(next() * 4) }, () => chars[Math.floor(next() * chars.length)]).join('');
    const value = (depth: number): unknown => {
      const r = next();
      if (depth > 3 || r < 0.3) return [(next() - 0.5) * 10 ** Math.floor(next() * 30 - 10), key(), true, null, Math.floor(next() * 1e6)][Math.floor(next() * 5)];
      if (r < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 5) }, () => [key(), value(depth + 1)]));
    };
    for (let i = 0; i < 300; i++) {
      const sample = value(0);
      expect(jcs(sample)).toBe(canonicalize(sample));
    }
  });
});

// ─── RFC 9162 §2.1, written from the RFC's text ──────────────────────────────────────────────────────────
const h = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const largestPowerOfTwoBelow = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
/** MTH(D[n]) — §2.1.1. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return h(Buffer.alloc(0));
  if (leaves.length === 1) return h(Buffer.from([0]), leaves[0]!);
  const k = largestPowerOfTwoBelow(leaves.length);
  return h(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
/** PATH(m, D[n]) — §2.1.3.1. */
function path(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

const leavesOf = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => createHash('sha256').update(`event ${i}`).digest());

describe('RFC 9162 Merkle trees', () => {
  it('the roots at every size equal MTH', async () => {
    const { merkleRoots } = await load();
    const leaves = leavesOf(70);
    const sizes = Array.from({ length: 71 }, (_, n) => n);
    const roots = merkleRoots(leaves, sizes);
    for (const n of sizes) expect(roots.get(n)!.toString('hex'), `size ${n}`).toBe(mth(leaves.slice(0, n)).toString('hex'));
  });

  it('inclusion proofs of §2.1.3.1 lead to the root; an altered or misplaced proof does not', async () => {
    const { rootFromInclusionProof } = await load();
    const leaves = leavesOf(21);
    for (let n = 1; n <= leaves.length; n++) {
      const tree = leaves.slice(0, n);
      const root = mth(tree);
      for (let m = 0; m < n; m++) {
        const proof = path(m, tree);
        expect(rootFromInclusionProof(m, n, tree[m]!, proof)?.equals(root), `leaf ${m} of ${n}`).toBe(true);
        if (proof.length > 0) {
          const altered = proof.map((p, i) => (i === proof.length - 1 ? h(p) : p));
          expect(rootFromInclusionProof(m, n, tree[m]!, altered)?.equals(root) ?? false).toBe(false);
          expect(rootFromInclusionProof(m, n, tree[m]!, proof.slice(1))?.equals(root) ?? false).toBe(false);
        }
        if (n > 1) expect(rootFromInclusionProof((m + 1) % n, n, tree[m]!, proof)?.equals(root) ?? false).toBe(false);
      }
    }
  });
});
