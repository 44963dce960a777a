/** The package version, reported as the instrumentation scope version. Kept in step by test/package/package.test.ts. */
export const VERSION = '0.2.0';
