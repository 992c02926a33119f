// The RFC 9162 §2.1 Merkle tree over the ledger: leaf i is the 32 raw bytes of event i+1's hash.
// The builders stream the leaves once and keep O(log n) hashes, so a 10-million-event ledger never becomes an array
// of hashes in memory; the aligned-subtree index keeps about two hashes per block of leaves so roots and proofs can be
// answered without streaming again (checkpoints/ledger-tree.ts keeps one per open database).
import { hash } from 'node:crypto';

export const HASH_BYTES = 32;

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_TREE_ROOT: Buffer = hash('sha256', Buffer.alloc(0), 'buffer');

// Reused input buffers: every leaf and node hash has a fixed-size input, so no per-hash allocation but the digest.
const leafInput = Buffer.alloc(1 + HASH_BYTES);
const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES);
nodeInput[0] = 0x01;

/** SHA-256(0x00 ‖ leaf) for a 32-byte leaf. */
export function leafHash(leaf: Uint8Array): Buffer {
  if (leaf.length !== HASH_BYTES) return hash('sha256', Buffer.concat([Buffer.from([0x00]), leaf]), 'buffer');
  leafInput.set(leaf, 1);
  return hash('sha256', leafInput, 'buffer');
}

/** SHA-256(0x00 ‖ leaf) for a leaf given as 64 hex digits (how the ledger stores event hashes). */
export function leafHashOfHex(leafHex: string): Buffer {
  if (leafInput.write(leafHex, 1, 'hex') !== HASH_BYTES) throw new Error(`leaf "${leafHex}" is not 64 hex digits`);
  return hash('sha256', leafInput, 'buffer');
}

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_BYTES);
  return hash('sha256', nodeInput, 'buffer');
}

/** Largest power of two strictly smaller than n (n ≥ 2), the split point k of RFC 9162. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Appends leaf hashes one at a time and gives the root at the current size. It keeps the roots of the
 * complete subtrees the leaves so far decompose into (sizes = the binary digits of the size, largest
 * first): appending merges equal-sized subtrees like a binary counter, so each append is O(1)
 * amortized and memory is O(log n).
 */
export class MerkleTreeBuilder {
  private readonly subtrees: { hash: Buffer; size: number }[] = [];
  private leaves = 0;

  get size(): number {
    return this.leaves;
  }

  /** Appends a leaf given as its raw bytes. */
  appendLeaf(leaf: Uint8Array): void {
    this.appendLeafHash(leafHash(leaf));
  }

  /** Appends a leaf whose leaf hash (SHA-256(0x00 ‖ leaf)) is already computed. */
  appendLeafHash(hashOfLeaf: Buffer): void {
    let current = { hash: hashOfLeaf, size: 1 };
    let top = this.subtrees.at(-1);
    while (top && top.size === current.size) {
      this.subtrees.pop();
      current = { hash: nodeHash(top.hash, current.hash), size: top.size * 2 };
      top = this.subtrees.at(-1);
    }
    this.subtrees.push(current);
    this.leaves++;
  }

  /**
   * MTH of the leaves so far: for n = 2^a + rest the root is node(MTH(first 2^a), MTH(rest)), so folding
   * the complete subtrees from the right gives exactly RFC 9162's recursive definition.
   */
  root(): Buffer {
    if (this.subtrees.length === 0) return EMPTY_TREE_ROOT;
    let root = this.subtrees.at(-1)!.hash;
    for (let i = this.subtrees.length - 2; i >= 0; i--) root = nodeHash(this.subtrees[i]!.hash, root);
    return root;
  }
}

/** Leaves [start, end) of the tree whose MTH is one element of a proof. */
export interface LeafRange {
  start: number;
  end: number;
}

/** The ranges whose MTHs make up PATH(m, D[n]) (RFC 9162 §2.1.3.1), in proof order. */
export function inclusionProofRanges(leafIndex: number, treeSize: number): LeafRange[] {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) {
    throw new RangeError(`leaf index ${leafIndex} is not in a tree of size ${treeSize}`);
  }
  const ranges: LeafRange[] = [];
  // PATH recurses into the half holding m and appends the other half's MTH *after* the deeper path,
  // so collect from the top and reverse at the end.
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (leafIndex < start + k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
    }
  }
  return ranges.reverse();
}

/** The ranges whose MTHs make up PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 9162 §2.1.4.1), in proof order. */
export function consistencyProofRanges(fromSize: number, toSize: number): LeafRange[] {
  if (!Number.isSafeInteger(fromSize) || !Number.isSafeInteger(toSize) || fromSize < 1 || fromSize > toSize) {
    throw new RangeError(`no consistency proof from size ${fromSize} to size ${toSize} (need 1 ≤ from ≤ to)`);
  }
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = toSize;
  let m = fromSize;
  let completeSubtree = true; // SUBPROOF's b: whether D[start:end] is the tree of the first m leaves as a whole
  for (;;) {
    const n = end - start;
    if (m === n) {
      if (!completeSubtree) ranges.push({ start, end });
      break;
    }
    const k = splitPoint(n);
    if (m <= k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
      m -= k;
      completeSubtree = false;
    }
  }
  return ranges.reverse();
}

/**
 * The MTH of each range, reading the leaf hashes once in order. The ranges must not overlap (those of one
 * proof never do); only one range is being built at any time, so memory stays O(log n).
 */
export function rangeRoots(leafHashes: Iterable<Buffer>, ranges: readonly LeafRange[]): Buffer[] {
  const order = ranges.map((range, index) => ({ range, index })).sort((a, b) => a.range.start - b.range.start);
  for (let i = 1; i < order.length; i++) {
    if (order[i]!.range.start < order[i - 1]!.range.end) throw new RangeError('proof ranges overlap');
  }
  const roots: Buffer[] = new Array<Buffer>(ranges.length);
  let next = 0;
  let builder: MerkleTreeBuilder | null = null;
  let position = 0;
  const finishReached = (): void => {
    while (next < order.length && order[next]!.range.end === position) {
      roots[order[next]!.index] = (builder ?? new MerkleTreeBuilder()).root();
      builder = null;
      next++;
    }
  };
  finishReached();
  if (next < order.length) {
    for (const leaf of leafHashes) {
      const current = order[next]!.range;
      if (position >= current.start) (builder ??= new MerkleTreeBuilder()).appendLeafHash(leaf);
      position++;
      finishReached();
      if (next >= order.length) break;
    }
  }
  if (next < order.length) throw new RangeError(`the tree has only ${position} leaves; the proof needs ${order.at(-1)!.range.end}`);
  return roots;
}

/** The roots at each of `sizes` (any order, duplicates allowed), reading the leaf hashes once. */
export function rootsAtSizes(leafHashes: Iterable<Buffer>, sizes: readonly number[]): Map<number, Buffer> {
  const collector = new RootsAtSizes(sizes);
  if (collector.wantsMore) {
    for (const leaf of leafHashes) {
      collector.appendLeafHash(leaf);
      if (!collector.wantsMore) break;
    }
  }
  return collector.roots;
}

/**
 * A tree grown leaf by leaf (from any stream, synchronous or not) that keeps its root at each wanted size: every
 * checkpoint's root from one pass over the leaves.
 */
export class RootsAtSizes {
  readonly roots = new Map<number, Buffer>();
  private readonly wanted: number[];
  private readonly builder = new MerkleTreeBuilder();
  private next = 0;

  constructor(sizes: readonly number[]) {
    this.wanted = [...new Set(sizes)].sort((a, b) => a - b);
    this.collect();
  }

  /** Leaves so far. */
  get size(): number {
    return this.builder.size;
  }

  /** The largest size wanted, 0 when none. */
  get largest(): number {
    return this.wanted.at(-1) ?? 0;
  }

  /** Whether a wanted size is still beyond the leaves so far. */
  get wantsMore(): boolean {
    return this.next < this.wanted.length;
  }

  appendLeafHash(hashOfLeaf: Buffer): void {
    this.builder.appendLeafHash(hashOfLeaf);
    this.collect();
  }

  private collect(): void {
    while (this.next < this.wanted.length && this.wanted[this.next] === this.builder.size) this.roots.set(this.wanted[this.next++]!, this.builder.root());
  }
}

// Sizes may exceed 2^31, so no 32-bit bitwise operators below.
function isPowerOfTwo(n: number): boolean {
  let power = 1;
  while (power < n) power *= 2;
  return power === n;
}

const lsb = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

function equalHashes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * The root RFC 9162 §2.1.3.2 computes from a leaf hash and its inclusion proof, or null when the proof
 * has the wrong length for (leafIndex, treeSize).
 */
export function rootFromInclusionProof(leafIndex: number, treeSize: number, hashOfLeaf: Uint8Array, proof: readonly Uint8Array[]): Buffer | null {
  if (leafIndex < 0 || leafIndex >= treeSize) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(hashOfLeaf);
  for (const p of proof) {
    if (p.length !== HASH_BYTES) return null;
    if (sn === 0) return null;
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.3.2: does `proof` show that the leaf with this leaf hash is at `leafIndex` of the tree with `root`? */
export function verifyInclusion(leafIndex: number, treeSize: number, hashOfLeaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  const computed = rootFromInclusionProof(leafIndex, treeSize, hashOfLeaf, proof);
  return computed !== null && equalHashes(computed, root);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree of `fromSize` leaves with `fromRoot` is a prefix of the
 * tree of `toSize` leaves with `toRoot`? Equal sizes need an empty proof and equal roots (the RFC's
 * algorithm covers from < to; PROOF(n, D[n]) is empty).
 */
export function verifyConsistency(fromSize: number, toSize: number, fromRoot: Uint8Array, toRoot: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (fromSize < 1 || fromSize > toSize) return false;
  if (fromSize === toSize) return proof.length === 0 && equalHashes(fromRoot, toRoot);
  if (proof.length === 0) return false;
  if (proof.some((p) => p.length !== HASH_BYTES)) return false;
  const path: Uint8Array[] = isPowerOfTwo(fromSize) ? [fromRoot, ...proof] : [...proof];
  let fn = fromSize - 1;
  let sn = toSize - 1;
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return equalHashes(fr, fromRoot) && equalHashes(sr, toRoot) && sn === 0;
}

/** Whether `size` leaves starting at `start` form a complete subtree of the tree: size a power of two, start a multiple of it. */
function isAlignedSubtree(start: number, size: number): boolean {
  return size >= 1 && isPowerOfTwo(size) && start % size === 0;
}

/**
 * The roots of every complete, aligned subtree of at least one block (2^blockBits leaves), for the leaves of the
 * complete blocks appended so far. Level 0 holds the block roots, level j the roots of the 2^(blockBits+j)-leaf
 * subtrees, each level one Buffer of 32-byte roots (no object per hash). It holds about two hashes per block, so
 * n leaves cost 64·n/2^blockBits bytes: 2.5 MB for 10 M leaves with 256-leaf blocks.
 */
export class AlignedSubtreeIndex {
  readonly blockBits: number;
  readonly blockSize: number;
  private readonly levels: Buffer[] = [];
  private readonly counts: number[] = [];

  constructor(blockBits: number) {
    if (!Number.isInteger(blockBits) || blockBits < 0 || blockBits > 20) throw new RangeError(`block bits must be 0..20, got ${blockBits}`);
    this.blockBits = blockBits;
    this.blockSize = 2 ** blockBits;
  }

  /** Leaves covered: those of the complete blocks appended so far. */
  get coveredLeaves(): number {
    return (this.counts[0] ?? 0) * this.blockSize;
  }

  /** Bytes held by the stored roots (not counting spare capacity). */
  get storedBytes(): number {
    return this.counts.reduce((sum, count) => sum + count * HASH_BYTES, 0);
  }

  /** Appends the root of the next block (the MTH of its 2^blockBits leaves) and every complete subtree it closes. */
  appendBlockRoot(root: Uint8Array): void {
    if (root.length !== HASH_BYTES) throw new RangeError('a block root is 32 bytes');
    let current: Uint8Array = root;
    for (let level = 0; ; level++) {
      const index = this.push(level, current);
      if (index % 2 === 0) return;
      current = nodeHash(this.at(level, index - 1), current);
    }
  }

  /** The MTH of leaves [start, start + size) when they form a complete aligned subtree of at least a block that is covered, else null. */
  subtreeRoot(start: number, size: number): Buffer | null {
    if (size < this.blockSize || !isAlignedSubtree(start, size) || start + size > this.coveredLeaves) return null;
    const level = Math.log2(size / this.blockSize);
    // A copy: callers may keep it, and the level's storage is reallocated as it grows.
    return Buffer.from(this.at(level, start / size));
  }

  private at(level: number, index: number): Buffer {
    return this.levels[level]!.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
  }

  /** Appends a root to a level, growing its Buffer by doubling; returns the root's index. */
  private push(level: number, root: Uint8Array): number {
    const count = this.counts[level] ?? 0;
    let storage = this.levels[level] ?? Buffer.alloc(0);
    if ((count + 1) * HASH_BYTES > storage.length) {
      const grown = Buffer.alloc(Math.max(64 * HASH_BYTES, storage.length * 2));
      storage.copy(grown, 0, 0, count * HASH_BYTES);
      storage = grown;
      this.levels[level] = storage;
    }
    storage.set(root, count * HASH_BYTES);
    this.counts[level] = count + 1;
    return count;
  }
}

/** Leaf hashes [start, end) of the tree, in order (end − start of them). */
export type LeafHashReader = (start: number, end: number) => readonly Buffer[];

/**
 * MTH(D[start:end]) from the stored aligned subtrees plus leaves read for the rest. RFC 9162 splits every range at
 * the largest power of two below its size, so a range that starts aligned (every range of a proof does) decomposes
 * into complete aligned subtrees — at most one per level, found in the index — and leaves of at most one partial
 * block on each side; a range the index does not cover is read as leaves, so the answer never depends on the index
 * being complete, only its cost does.
 */
export function rangeRootFromIndex(index: AlignedSubtreeIndex, start: number, end: number, readLeaves: LeafHashReader): Buffer {
  const size = end - start;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || size < 0) throw new RangeError(`no leaf range [${start}, ${end})`);
  if (size === 0) return EMPTY_TREE_ROOT;
  const stored = index.subtreeRoot(start, size);
  if (stored) return stored;
  if (size <= index.blockSize) {
    const leaves = readLeaves(start, end);
    if (leaves.length !== size) throw new RangeError(`read ${leaves.length} leaves for [${start}, ${end})`);
    const builder = new MerkleTreeBuilder();
    for (const leaf of leaves) builder.appendLeafHash(leaf);
    return builder.root();
  }
  const k = splitPoint(size);
  return nodeHash(rangeRootFromIndex(index, start, start + k, readLeaves), rangeRootFromIndex(index, start + k, end, readLeaves));
}
