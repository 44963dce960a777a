// require("otel-segment-bridge") and print, as one JSON line, its export names and every module file loaded.
const exported = require('otel-segment-bridge');

console.log(JSON.stringify({ exports: Object.keys(exported).sort(), loaded: Object.keys(require.cache) }));
