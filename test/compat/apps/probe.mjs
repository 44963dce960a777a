// import("otel-segment-bridge") and print, as one JSON line, its export names and every module URL loaded:
// ESM through a load hook (module.registerHooks on Node >= 22.15, an off-thread module.register hook on Node 20),
// CommonJS through require.cache.
import module from 'node:module';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const seen = new Set();
if (typeof module.registerHooks === 'function') {
  module.registerHooks({
    load(url, context, next) {
      seen.add(url);
      return next(url, context);
    },
  });
} else {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url) => seen.add(url));
  port1.unref();
  const hooks = `let port; export function initialize(data) { port = data.port; }
    export async function load(url, context, next) { port.postMessage(url); return next(url, context); }`;
  module.register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url, {
    data: { port: port2 },
    transferList: [port2],
  });
}
const exported = await import('otel-segment-bridge');
await sleep(100); // the off-thread hook's last messages
for (const file of Object.keys(module.createRequire(import.meta.url).cache)) seen.add(pathToFileURL(file).href);
console.log(JSON.stringify({ exports: Object.keys(exported).sort(), loaded: [...seen] }));
