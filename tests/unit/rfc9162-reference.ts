// RFC 9162 §2.1 written from the text, for tests: the independent implementation the app's Merkle tree, proofs
// and caches are checked against. It never imports the app's merkle.ts.
import { createHash } from 'node:crypto';

export const sha256 = (...parts: Uint8Array[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
export const rfcLeaf = (data: Uint8Array): Buffer => sha256(Buffer.from([0x00]), data);
export const rfcNode = (l: Uint8Array, r: Uint8Array): Buffer => sha256(Buffer.from([0x01]), l, r);
/** k: the largest power of two smaller than n. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}
/** MTH(D[n]). */
export function MTH(d: Buffer[]): Buffer {
  if (d.length === 0) return sha256(Buffer.alloc(0));
  if (d.length === 1) return rfcLeaf(d[0]!);
  const k = largestPowerOfTwoBelow(d.length);
  return rfcNode(MTH(d.slice(0, k)), MTH(d.slice(k)));
}
/** PATH(m, D[n]) (§2.1.3.1). */
export function PATH(m: number, d: Buffer[]): Buffer[] {
  if (d.length === 1) return [];
  const k = largestPowerOfTwoBelow(d.length);
  return m < k ? [...PATH(m, d.slice(0, k)), MTH(d.slice(k))] : [...PATH(m - k, d.slice(k)), MTH(d.slice(0, k))];
}
/** SUBPROOF(m, D[n], b) (§2.1.4.1). */
export function SUBPROOF(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [MTH(d)];
  const k = largestPowerOfTwoBelow(d.length);
  return m <= k ? [...SUBPROOF(m, d.slice(0, k), b), MTH(d.slice(k))] : [...SUBPROOF(m - k, d.slice(k), false), MTH(d.slice(0, k))];
}
export const PROOF = (m: number, d: Buffer[]): Buffer[] => SUBPROOF(m, d, true);

/** §2.1.3.2, step by step. */
export function rfcVerifyInclusion(leafIndex: number, treeSize: number, leafHash: Buffer, path: Buffer[], root: Buffer): boolean {
  if (leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = rfcNode(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn >> 1, sn >> 1];
    } else {
      r = rfcNode(r, p);
    }
    [fn, sn] = [fn >> 1, sn >> 1];
  }
  return sn === 0 && r.equals(root);
}
/** §2.1.4.2, step by step (for first < second; equal sizes have an empty proof and equal roots). */
export function rfcVerifyConsistency(first: number, second: number, firstHash: Buffer, secondHash: Buffer, consistencyPath: Buffer[]): boolean {
  if (first === second) return consistencyPath.length === 0 && firstHash.equals(secondHash);
  if (consistencyPath.length === 0) return false;
  const path = Number.isInteger(Math.log2(first)) ? [firstHash, ...consistencyPath] : [...consistencyPath];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) [fn, sn] = [fn >> 1, sn >> 1];
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = rfcNode(c, fr);
      sr = rfcNode(c, sr);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn >> 1, sn >> 1];
    } else {
      sr = rfcNode(sr, c);
    }
    [fn, sn] = [fn >> 1, sn >> 1];
  }
  return fr.equals(firstHash) && sr.equals(secondHash) && sn === 0;
}
