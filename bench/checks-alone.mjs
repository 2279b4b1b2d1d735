// One grading with no sandbox around it, for `npm run bench`: where a submission's time goes
// when isolation costs nothing. Loads a cached grader bundle (with its V8 code cache) in this
// fresh process, freezes the realm as the child does, runs every check and prints, as one JSON
// line, how long getting ready and running the checks took (wall and this process's CPU, GC and
// compiler threads included). Never used to grade anyone: learner code runs here unconfined.
//
//   node bench/checks-alone.mjs <bundle.js> <bundle.v8cache | -> <request.json>
// @ts-check

import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const [bundleFile, cacheFile, requestFile] = process.argv.slice(2);
if (!bundleFile || !cacheFile || !requestFile) {
  console.error('usage: node bench/checks-alone.mjs <bundle.js> <bundle.v8cache | -> <request.json>');
  process.exit(2);
}
/**
 * @param {string} file
 * @param {string} what
 * @param {BufferEncoding} [encoding]
 */
function read(file, what, encoding) {
  try {
    return encoding ? readFileSync(file, encoding) : readFileSync(file);
  } catch (error) {
    console.error(`checks-alone: cannot read the ${what} ${file}: ${/** @type {Error} */ (error).message}. npm run bench builds and passes these; run it instead.`);
    process.exit(2);
  }
}
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const request = JSON.parse(String(read(requestFile, 'request', 'utf8')));
const script = new vm.Script(String(read(bundleFile, 'bundle', 'utf8')), {
  filename: 'lab-bundle.js',
  ...(cacheFile === '-' ? {} : { cachedData: /** @type {Buffer} */ (read(cacheFile, 'code cache')) }),
});
script.runInThisContext();
const g = /** @type {{ whetstoneLab?: { harden(): void, run(r: unknown, emit: (m: unknown) => void): Promise<void> } }} */ (
  /** @type {unknown} */ (globalThis)
);
const runtime = g.whetstoneLab;
if (!runtime) throw new Error(`${bundleFile} did not define whetstoneLab`);
runtime.harden();
const readyMs = performance.now();
const readyCpuMs = cpuMs();
let checks = 0;
await runtime.run(request, (message) => {
  if (/** @type {{ type?: string }} */ (message).type === 'check-end') checks += 1;
});
console.log(
  JSON.stringify({
    readyMs: Math.round(readyMs),
    readyCpuMs: Math.round(readyCpuMs),
    checksMs: Math.round(performance.now() - readyMs),
    checksCpuMs: Math.round(cpuMs() - readyCpuMs),
    checks,
    codeCacheRejected: script.cachedDataRejected === true,
  }),
);
process.exit(0);
