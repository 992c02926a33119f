// The ledger's Merkle tree kept incrementally, per open connection, so a root, a proof or a checkpoint costs
// O(log n + one block) instead of a pass over every event hash.
//
// Where it lives, and why: in memory, one per open database connection (a WeakMap keyed by the connection, gone
// when the connection is). It is built by one streaming pass on first use and then extended by reading only the
// events appended since. Kept in memory it needs no schema change and never writes: reads, proofs and verification
// never change the record, and a database opened read-only (`attest prove`) gets the same speed-up within its
// process. A persisted table would have to be written inside the ledger's append transaction and would itself need
// checking by verification — a second copy of the truth to keep honest.
//
// Staleness: the cache is only as good as the file it was built from, so every use first checks that the file can
// only have grown since, and otherwise rebuilds from the events (never serves a root the events do not give):
// - the schema cookie changed (the append-only triggers were dropped or altered, a migration ran) → rebuild, and
//   when the triggers are not the ledger's own the file can be edited in place, so nothing is cached at all;
// - the event at the last covered position no longer has the hash the cache was built from (a rolled-back append
//   was covered, another ledger was restored into the file, it was truncated, a chain was rewritten from an earlier
//   event) → rebuild. Every event's hash covers its predecessor's, so an unchanged hash there vouches for every
//   leaf before it.
// Otherwise the triggers that were in place all along allow nothing but appends — whichever connection wrote. A
// commit by another connection (an import job's, the outcome verification's, another process's: SQLite's
// data_version) therefore extends the tree by the events appended, like an append of this connection, instead of
// rebuilding it from event #1: at a million tickets the job threads commit several times a second, and a rebuild
// after each held the console's thread for most of its time (a CPU profile of the 300,000-ticket console run: 44 s
// of warming against 25 s for every request). This is the chain monitor's rule too (chain-monitor.ts): an increment
// re-reads the events after the last verified one, and a change among covered events that leaves the chain broken
// without touching the schema (bytes edited under SQLite) is the full check's to find — at every open and on
// "Verify now" — while the tree keeps the roots of the events as they were appended, so a checkpoint never signs an
// edit it did not see appended.
// Memory: the roots of complete aligned 256-leaf blocks and of the subtrees above them, about two 32-byte hashes per
// block — 2.5 MB at 10 M events. The leaves after the last complete block (fewer than 256) are read per request,
// as are the leaves inside a proven event's own block.
import type { Db } from '../db/connection.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { AlignedSubtreeIndex, MerkleTreeBuilder, rangeRootFromIndex, type LeafRange } from '../ledger/merkle.ts';
import { CheckpointRepository, MissingLeavesError } from './checkpoint-repository.ts';

/** 2^8 = 256 leaves per block: a request reads at most two partial blocks (~0.5 ms), memory stays ~2.5 MB at 10 M. */
export const LEDGER_TREE_BLOCK_BITS = 8;

/** Roots at sizes inside the covered part are remembered (they cannot change while the cache holds); at most this many. */
const MAX_REMEMBERED_ROOTS = 10_000;

interface LedgerTree {
  index: AlignedSubtreeIndex;
  /** The stored hash (hex) of the last covered event (#index.coveredLeaves), null while nothing is covered. */
  boundaryHash: string | null;
  schemaVersion: number;
  /** Roots of the first `size` leaves for sizes ≤ the covered leaves. */
  rootsBySize: Map<number, Buffer>;
  /** False when the triggers are not intact: the tree serves one request and is dropped. */
  keep: boolean;
}

const trees = new WeakMap<Db, LedgerTree>();

function newTree(db: Db, schemaVersion: number): LedgerTree {
  const keep = new LedgerRepository(db).missingProtectionTriggers().length === 0;
  return { index: new AlignedSubtreeIndex(LEDGER_TREE_BLOCK_BITS), boundaryHash: null, rootsBySize: new Map(), keep, schemaVersion };
}

/** The cached tree if the file can only have grown since it was built; null when it must be rebuilt. */
function stillValid(tree: LedgerTree | undefined, repository: CheckpointRepository, schemaVersion: number): LedgerTree | null {
  if (!tree || !tree.keep) return null;
  if (tree.schemaVersion !== schemaVersion) return null;
  if (tree.index.coveredLeaves > 0 && repository.eventHash(tree.index.coveredLeaves) !== tree.boundaryHash) return null;
  return tree;
}

const BLOCK_SIZE = 2 ** LEDGER_TREE_BLOCK_BITS;

/**
 * The roots of the complete blocks of leaves (fromLeaf, target] — fromLeaf and target multiples of the block size —
 * handed to `onRoot` in order as each is read. Throws MissingLeavesError at a missing event, after the roots before it.
 */
function readBlockRoots(repository: CheckpointRepository, fromLeaf: number, target: number, onRoot: (root: Buffer) => void): void {
  let block = new MerkleTreeBuilder();
  for (const leaf of repository.leafHashes(target, fromLeaf + 1)) {
    block.appendLeafHash(leaf);
    if (block.size === BLOCK_SIZE) {
      onRoot(block.root());
      block = new MerkleTreeBuilder();
    }
  }
}

/** Adds the complete blocks appended since (at most `maxEvents` events' worth), reading only their events. */
function extend(tree: LedgerTree, repository: CheckpointRepository, head: number, maxEvents = Number.MAX_SAFE_INTEGER): void {
  const { index } = tree;
  const target = Math.floor(Math.min(head, index.coveredLeaves + maxEvents) / index.blockSize) * index.blockSize;
  if (target <= index.coveredLeaves) return;
  try {
    readBlockRoots(repository, index.coveredLeaves, target, (root) => index.appendBlockRoot(root));
  } finally {
    // Also after a gap stopped the pass: the blocks before it are sound, and the boundary must match what is covered.
    tree.boundaryHash = index.coveredLeaves > 0 ? repository.eventHash(index.coveredLeaves) : null;
  }
}

/** Block roots read on another connection (a read thread's), for a tree to adopt: see adoptBlockRoots. */
export interface LedgerTreeBlocks {
  /** The leaves covered before the first root (a multiple of the block size). */
  fromLeaf: number;
  /** Hex roots of the complete blocks after fromLeaf, in order: none at the head or at a missing event. */
  roots: string[];
  /** The stored hash of the last event the roots cover; null with no roots. */
  lastHash: string | null;
}

/**
 * The roots of at most `maxBlocks` complete blocks after leaf `fromLeaf`, read on this connection: the work of a slice
 * of warming, done on a read thread so the console's thread only adopts the result. Reads only.
 */
export function ledgerTreeBlocks(db: Db, input: { fromLeaf: number; maxBlocks: number }): LedgerTreeBlocks {
  const { fromLeaf, maxBlocks } = input;
  if (!Number.isSafeInteger(fromLeaf) || fromLeaf < 0 || fromLeaf % BLOCK_SIZE !== 0) throw new RangeError(`fromLeaf must be a multiple of ${BLOCK_SIZE}, got ${fromLeaf}`);
  const repository = new CheckpointRepository(db);
  const target = Math.min(Math.floor(repository.headSeq() / BLOCK_SIZE), fromLeaf / BLOCK_SIZE + Math.max(1, maxBlocks)) * BLOCK_SIZE;
  const roots: string[] = [];
  if (target > fromLeaf) {
    try {
      readBlockRoots(repository, fromLeaf, target, (root) => roots.push(root.toString('hex')));
    } catch (error) {
      if (!(error instanceof MissingLeavesError)) throw error;
    }
  }
  return { fromLeaf, roots, lastHash: roots.length > 0 ? repository.eventHash(fromLeaf + roots.length * BLOCK_SIZE) : null };
}

/**
 * Adds block roots read on another connection to this connection's tree, if they continue it exactly: the tree is
 * still the one of this connection, still valid against the file and covering `blocks.fromLeaf` leaves, and the last
 * event they cover has here the hash it had there (every event's hash covers its predecessor, so the same hash there
 * vouches for the leaves read; a file restored or rewritten meanwhile fails this, and the roots are dropped).
 * Returns whether they were added.
 */
function adoptBlockRoots(db: Db, tree: LedgerTree, blocks: LedgerTreeBlocks): boolean {
  if (blocks.roots.length === 0 || trees.get(db) !== tree || tree.index.coveredLeaves !== blocks.fromLeaf) return false;
  const repository = new CheckpointRepository(db);
  if (!stillValid(tree, repository, repository.schemaVersion())) return false;
  const covered = blocks.fromLeaf + blocks.roots.length * BLOCK_SIZE;
  if (repository.eventHash(covered) !== blocks.lastHash) return false;
  for (const root of blocks.roots) tree.index.appendBlockRoot(Buffer.from(root, 'hex'));
  tree.boundaryHash = blocks.lastHash;
  return true;
}

/**
 * The tree of this connection's database, checked against the file and extended to the head's last complete block
 * (or by at most `maxEvents` events, for a slice of background warming).
 */
function currentTree(db: Db, repository: CheckpointRepository, maxEvents?: number): LedgerTree {
  const schemaVersion = repository.schemaVersion();
  let tree = stillValid(trees.get(db), repository, schemaVersion);
  if (!tree) {
    tree = newTree(db, schemaVersion);
    if (tree.keep) trees.set(db, tree);
    else trees.delete(db);
  }
  try {
    extend(tree, repository, repository.headSeq(), maxEvents);
  } catch (error) {
    // A missing event stops the extension there; a request that needs leaves past it reads them and fails the same
    // way, one that does not (a root before the gap) is still answered.
    if (!(error instanceof MissingLeavesError)) throw error;
  }
  return tree;
}

function rangeRoot(tree: LedgerTree, repository: CheckpointRepository, range: LeafRange): Buffer {
  // Leaf i is event #i+1.
  return rangeRootFromIndex(tree.index, range.start, range.end, (start, end) => repository.leafHashesOf(start + 1, end));
}

function rootOfFirst(tree: LedgerTree, repository: CheckpointRepository, size: number): Buffer {
  const remembered = tree.rootsBySize.get(size);
  if (remembered) return remembered;
  const root = rangeRoot(tree, repository, { start: 0, end: size });
  if (size <= tree.index.coveredLeaves) {
    if (tree.rootsBySize.size >= MAX_REMEMBERED_ROOTS) tree.rootsBySize.clear();
    tree.rootsBySize.set(size, root);
  }
  return root;
}

/**
 * The Merkle roots of the first `size` events for each size (callers check the sizes against the head; a size past
 * the events throws MissingLeavesError). One check of the cache against the file serves them all.
 */
export function ledgerTreeRoots(db: Db, sizes: readonly number[]): Map<number, Buffer> {
  const repository = new CheckpointRepository(db);
  const tree = currentTree(db, repository);
  return new Map(sizes.map((size) => [size, rootOfFirst(tree, repository, size)]));
}

/** MTH(D[start:end]) of each leaf range (leaf i is event #i+1) — the node hashes of an inclusion or consistency proof. */
export function ledgerTreeRangeRoots(db: Db, ranges: readonly LeafRange[]): Buffer[] {
  const repository = new CheckpointRepository(db);
  const tree = currentTree(db, repository);
  return ranges.map((range) => rangeRoot(tree, repository, range));
}

/** Drops the cached tree of this connection: the next request rebuilds it from the events (for measuring a cold start). */
export function forgetLedgerTree(db: Db): void {
  trees.delete(db);
}

/**
 * One slice of warming: checks the tree against the file and extends it by at most `maxEvents` events. Returns the
 * events covered, and whether that is every complete block of the ledger. Reads only, like every use of the tree.
 */
export function warmLedgerTreeStep(db: Db, maxEvents: number): { covered: number; complete: boolean } {
  const repository = new CheckpointRepository(db);
  const tree = currentTree(db, repository, Math.max(1, maxEvents));
  const covered = tree.index.coveredLeaves;
  // A tree that is not kept (the triggers are not intact) has nothing to warm.
  return { covered, complete: !tree.keep || covered === Math.floor(repository.headSeq() / tree.index.blockSize) * tree.index.blockSize };
}

/**
 * Events per slice read elsewhere: the console's thread only adopts 64 roots per answer, so slices can be longer
 * (a few tens of milliseconds of the read thread, which a report asked meanwhile waits for at most).
 */
const ELSEWHERE_SLICE_EVENTS = 16_384;
/**
 * Fewer events than this left to hash are hashed here even when a thread could read them: at most four slices of a few
 * milliseconds each. Starting the read thread for them cost the console most of a second of the processor at open
 * (`attest serve` on the 300-ticket demo: the thread's modules loaded while the first page and the sign-in waited).
 */
const ELSEWHERE_FROM_EVENTS = ELSEWHERE_SLICE_EVENTS;

export interface LedgerTreeWarmingOptions {
  /** Events read per slice (default 4096 on this thread, a few milliseconds between requests; 16,384 elsewhere). */
  sliceEvents?: number;
  /** Pause between slices, so requests waiting on the same thread go first. */
  pauseMs?: number;
  onError?: (error: Error) => void;
  /**
   * Reads a slice's block roots on another connection (ledgerTreeBlocks on a read thread); this thread then only
   * adopts them (adoptBlockRoots). Without it, slices are read and hashed on this thread.
   */
  readBlocksElsewhere?: (input: { fromLeaf: number; maxBlocks: number }) => Promise<LedgerTreeBlocks>;
  /** Fewer events than this left to hash are hashed on this thread all the same (default ELSEWHERE_FROM_EVENTS). */
  elsewhereFromEvents?: number;
}

/** Where a slice read elsewhere starts: the connection's tree and the ledger's head when the slice was decided. */
interface ElsewhereStart {
  tree: LedgerTree;
  headSeq: number;
}

export interface LedgerTreeWarming {
  /** The ledger changed (an append here, a commit by an import job's or another process's connection): warm again. */
  nudge(): void;
  stop(): void;
}

/**
 * Builds the connection's tree in the background after the database is opened, a slice at a time between other
 * work on the same thread, so the first proof, receipt or checkpoint at 10 M events finds it warm instead of
 * reading every event hash while a person waits; `nudge()` after the ledger changed brings it up to date the same
 * way (the events another connection appended are read here rather than in a request).
 * A round stops when the tree covers the ledger, at a missing event, or when the connection closes. Timers are
 * unref'd: warming never keeps a process alive.
 */
export function warmLedgerTreeInBackground(db: Db, options: LedgerTreeWarmingOptions = {}): LedgerTreeWarming {
  const sliceEvents = options.sliceEvents ?? 4096;
  const pauseMs = options.pauseMs ?? 1;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let coveredBefore = -1;
  // A slice read elsewhere is in flight; a nudge meanwhile asks for another slice after it.
  let elsewhereRunning = false;
  let nudgedMeanwhile = false;
  const slice = (): void => {
    timer = null;
    if (stopped || !db.open) return;
    if (options.readBlocksElsewhere) {
      let start: ElsewhereStart | null;
      try {
        start = elsewhereStart();
      } catch (error) {
        options.onError?.(error as Error);
        return;
      }
      if (start) {
        elsewhereRunning = true;
        nudgedMeanwhile = false;
        void sliceElsewhere(options.readBlocksElsewhere, start)
          .then((more) => {
            elsewhereRunning = false;
            if (more || nudgedMeanwhile) schedule();
          })
          .catch((error: unknown) => {
            elsewhereRunning = false;
            if (!stopped && db.open) options.onError?.(error as Error);
          });
        return;
      }
    }
    let step: { covered: number; complete: boolean };
    try {
      step = warmLedgerTreeStep(db, sliceEvents);
    } catch (error) {
      options.onError?.(error as Error);
      return;
    }
    // No progress short of the head: a missing event stops the tree there; requests past it are refused anyway.
    if (step.complete || step.covered === coveredBefore) return;
    coveredBefore = step.covered;
    schedule();
  };
  /**
   * The tree as it stands and the ledger's head, when the events after the tree's stored blocks (complete blocks or
   * not) are enough to read elsewhere; null when they are few enough to hash here.
   */
  const elsewhereStart = (): ElsewhereStart | null => {
    const repository = new CheckpointRepository(db);
    const tree = currentTree(db, repository, 0);
    const headSeq = repository.headSeq();
    return headSeq - tree.index.coveredLeaves >= (options.elsewhereFromEvents ?? ELSEWHERE_FROM_EVENTS) ? { tree, headSeq } : null;
  };
  /** One slice read elsewhere and adopted here; whether another slice is worth asking for. */
  const sliceElsewhere = async (readBlocks: NonNullable<LedgerTreeWarmingOptions['readBlocksElsewhere']>, { tree, headSeq }: ElsewhereStart): Promise<boolean> => {
    const fromLeaf = tree.index.coveredLeaves;
    if (!tree.keep || Math.floor(headSeq / BLOCK_SIZE) * BLOCK_SIZE <= fromLeaf) return false;
    const blocks = await readBlocks({ fromLeaf, maxBlocks: Math.max(1, Math.floor((options.sliceEvents ?? ELSEWHERE_SLICE_EVENTS) / BLOCK_SIZE)) });
    if (stopped || !db.open) return false;
    if (adoptBlockRoots(db, tree, blocks)) return true;
    // Not adopted: a request extended the tree meanwhile (go on from there), or there was nothing to add (a missing
    // event, or the file changed under the read: a nudge after the next change starts again).
    return blocks.roots.length > 0 && trees.get(db) === tree && tree.index.coveredLeaves > fromLeaf;
  };
  const schedule = (): void => {
    timer = setTimeout(slice, pauseMs);
    timer.unref();
  };
  schedule();
  return {
    nudge: () => {
      if (elsewhereRunning) nudgedMeanwhile = true;
      if (stopped || timer || elsewhereRunning) return;
      coveredBefore = -1;
      schedule();
    },
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

export interface LedgerTreeStatus {
  /** Events covered by stored block roots (a multiple of the block size). */
  coveredEvents: number;
  blockSize: number;
  /** Bytes of stored roots. */
  storedBytes: number;
}

/** What the cache of this connection holds now, null when it has none (never used, dropped or not trusted). */
export function ledgerTreeStatus(db: Db): LedgerTreeStatus | null {
  const tree = trees.get(db);
  if (!tree) return null;
  return { coveredEvents: tree.index.coveredLeaves, blockSize: tree.index.blockSize, storedBytes: tree.index.storedBytes };
}
