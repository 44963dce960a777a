import { defineConfig } from 'tsup';

// ESM (.js) and CommonJS (.cjs) builds with types for both; the CLI is ESM only.
export default defineConfig([
  {
    entry: { index: 'src/index.ts', register: 'src/register.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    // Shared chunks: register and index use one copy of the bridge's module state (caches, warnings, metrics).
    splitting: true,
  },
  {
    entry: { 'cli/bin': 'src/cli/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
  },
]);
