#!/usr/bin/env node
/** Entry of the `otel-segment-bridge` executable. */
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
