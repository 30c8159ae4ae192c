// Starts the built app for the browser tests on a fresh embedded database, so every run begins
// from the demo data alone.
import { rmSync } from 'node:fs';

rmSync(process.env.DATA_DIR ?? '.e2e-data', { recursive: true, force: true });
await import('../../src/cli/start.js');
