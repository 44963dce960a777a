/** The package version, reported as the instrumentation scope version. Kept in step by test/package.test.ts. */
export const VERSION = '0.1.0';
