// Tests call core modules directly (recordEvents, importers, projections) without an entry point, so every
// test process registers the features' event types and projections first, as openCore and the CLI do.
import { registerFeatures } from '../../electron/core/features.ts';

registerFeatures();
