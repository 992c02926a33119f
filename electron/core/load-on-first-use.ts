// Packages that most commands never use, loaded when first needed instead of when the core loads. Every `attest`
// command, every console start and every worker thread loaded them all before doing anything: with gray-matter, pg,
// node-html-parser, the Ollama client and csv-parse loaded here, `attest --help` loads 383 modules instead of 470 and
// starts in about 510 ms instead of 552 ms. (stream-json stays a plain import: it ships only as an ES module, and the
// Electron main process is not made to require one.)
// A synchronous require (not `await import()`): the code that needs them is synchronous (a KB import parses its files
// inside the transaction that records them). The packages resolve from node_modules, as the Electron bundles'
// external packages do (electron-builder ships the production node_modules).
import { createRequire } from 'node:module';

const requireFromCore = createRequire(import.meta.url);

/** A getter for the package `name`, loaded at its first call; the caller names the type it expects of the package. */
export function loadOnFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireFromCore(name) as T);
}
