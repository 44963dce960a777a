import { defineConfig } from 'tsup';

// ESM (.js) and CommonJS (.cjs) builds with types for both; the CLI is ESM only.
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      register: 'src/register.ts',
      testing: 'src/testing.ts',
      gateway: 'src/gateway/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    // import.meta.url in the CommonJS build (the wiring resolves the app's SDK from the package's location).
    shims: true,
    // Shared chunks: every entry uses one copy of the bridge's module state (caches, warnings, metrics).
    splitting: true,
  },
  {
    entry: { 'cli/bin': 'src/cli/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
  },
]);
