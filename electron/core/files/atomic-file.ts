// Files Attest hands on (exports, statements, PDFs, receipts, checkpoint notes, packs) appear whole or not at all.
// Each is written to a temporary name in the target's own folder (a rename is atomic only within one file system),
// flushed to the disk with fsync, then renamed over its final name; the folder is fsync'd so the rename itself
// survives a power cut. Any failure on the way — a full disk (ENOSPC), a quota, an I/O error — removes the temporary
// file and leaves the target as it was: never a truncated export that looks like a complete one.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Files that hold ticket data are readable by their owner only. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_FOLDER_MODE = 0o700;
/** Checkpoint notes and cosignatures name no ticket: they are meant to be handed to witnesses and auditors. */
export const PUBLIC_FILE_MODE = 0o644;

/** A file or folder could not be written; nothing partial was left at `target`. */
export class FileWriteError extends Error {
  readonly target: string;
  readonly code: string | undefined;
  constructor(target: string, cause: unknown) {
    const code = (cause as { code?: string }).code;
    const reason = code === 'ENOSPC' ? 'the disk is full' : code === 'EDQUOT' ? 'the disk quota is exhausted' : (cause as Error).message;
    super(`could not write ${target}: ${reason}; nothing was written there`, { cause });
    this.target = target;
    this.code = code;
  }
}

export interface AtomicWriteOptions {
  /** Permission bits of the new file (default 0600: most of what Attest writes names tickets and customers). */
  mode?: number;
}

/** Failures of the disk itself, named with the target; any other error (Node's names its own path) passes unchanged. */
const DISK_FAILURES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EIO', 'EROFS']);

/**
 * A full or failing disk is named with the target; errors of the work itself (a refused period, a ledger that does not
 * verify, a missing resource) keep their own type and words.
 */
function asWriteError(target: string, error: unknown): unknown {
  if (error instanceof FileWriteError) return error;
  return DISK_FAILURES.has(String((error as { code?: unknown } | null)?.code)) ? new FileWriteError(target, error) : error;
}

/** The temporary name beside `target`: hidden, unique per process and call, recognisably Attest's. */
function temporaryBeside(target: string): string {
  return join(dirname(target), `.${basename(target)}.partial-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** Writes all of `bytes` to `fd` (writeSync may write less than asked). */
export function writeAll(fd: number, bytes: string | Uint8Array): void {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
}

/**
 * Makes a rename or a new entry in `folder` durable. Linux and macOS allow fsync on a folder; Windows refuses to open
 * one (EISDIR/EPERM) and makes renames durable itself, so that refusal is not an error.
 */
export function syncFolder(folder: string): void {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch (error) {
    if (process.platform === 'win32') return;
    throw error;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR') throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams a file through `write(fd)` into a temporary file beside `target`, then fsyncs and renames it over
 * `target`. `write`'s result is returned; if it (or the disk) fails, no file is left at either name.
 */
export function writeFileAtomicWith<T>(requested: string, write: (fd: number) => T, options: AtomicWriteOptions = {}): T {
  const destination = destinationOf(requested);
  if (destination.kind === 'stream') return writeThrough(destination.path, write);
  const target = destination.path;
  const temporary = temporaryBeside(target);
  let fd: number | null = null;
  try {
    fd = openSync(temporary, 'wx', options.mode ?? PRIVATE_FILE_MODE);
    const result = write(fd);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temporary, target);
    syncFolder(dirname(target));
    return result;
  } catch (error) {
    if (fd !== null) closeSync(fd);
    rmSync(temporary, { force: true });
    throw asWriteError(target, error);
  }
}

/**
 * Where the bytes go. A symbolic link is followed (its file is replaced, the link kept). A target that is not a regular
 * file — /dev/stdout, a named pipe, a terminal — is a stream: written as it is, since renaming over it would replace
 * the device or pipe itself (for root, even /dev/stdout).
 */
function destinationOf(target: string): { kind: 'file' | 'stream'; path: string } {
  let path = target;
  try {
    path = realpathSync(target);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { kind: 'file', path: target };
    throw error;
  }
  return { kind: statSync(path).isFile() ? 'file' : 'stream', path };
}

function writeThrough<T>(path: string, write: (fd: number) => T): T {
  const fd = openSync(path, 'w');
  try {
    return write(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `bytes` to `target` whole or not at all (see writeFileAtomicWith). */
export function writeFileAtomic(target: string, bytes: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  writeFileAtomicWith(target, (fd) => writeAll(fd, bytes), options);
}

/**
 * A new file inside a folder that is being built (see buildFolderAtomic): created exclusively, written, fsync'd.
 * The folder's rename is what makes the files visible, so they need no temporary names of their own.
 */
export function writeNewFileDurably(path: string, bytes: string | Uint8Array, mode = PRIVATE_FILE_MODE): void {
  const fd = openSync(path, 'wx', mode);
  try {
    writeAll(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs every folder under and including `root`, deepest first, so their entries are on the disk before a rename. */
function syncFolderTree(root: string): void {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory()) syncFolderTree(join(root, entry.name));
  }
  syncFolder(root);
}

/**
 * Builds a folder (e.g. an auditor's pack) in a temporary folder beside `target`, then renames it into place. `build`
 * writes into the folder it is given, every file fsync'd (writeNewFileDurably or its own fsync); `beforeRename` may
 * check the target once more (it must still be absent or an empty folder, which is replaced). On any failure the
 * temporary folder is removed and `target` is untouched.
 */
export async function buildFolderAtomic<T>(target: string, build: (folder: string) => Promise<T> | T, beforeRename?: () => void): Promise<T> {
  const clean = target.replace(/[\\/]+$/, '');
  const temporary = temporaryBeside(clean);
  try {
    mkdirSync(temporary, { mode: PRIVATE_FOLDER_MODE });
    const result = await build(temporary);
    syncFolderTree(temporary);
    beforeRename?.();
    // An empty target folder is replaced: rename() replaces an empty directory on POSIX; elsewhere remove it first.
    if (process.platform === 'win32' && existsSync(clean)) rmdirSync(clean);
    renameSync(temporary, clean);
    syncFolder(dirname(clean));
    return result;
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw asWriteError(clean, error);
  }
}
