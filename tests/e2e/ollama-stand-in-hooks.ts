import { startOllamaStandIn, type StandIn } from '../support/ollama-stand-in.ts';
import { test } from './fixtures.ts';

/**
 * Runs an Ollama stand-in around every test of the calling spec file. `attest resolve` and
 * `attest serve` (spawned by the fixtures) inherit its host through OLLAMA_HOST.
 */
export function useOllamaStandIn(): () => StandIn {
  let standIn: StandIn | undefined;
  test.beforeEach(async () => {
    standIn = await startOllamaStandIn();
    process.env.OLLAMA_HOST = standIn.host;
  });
  test.afterEach(async () => {
    delete process.env.OLLAMA_HOST;
    await standIn?.close();
  });
  return () => standIn!;
}
