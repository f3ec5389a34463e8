/**
 * The worker pool's threads in Node: worker_threads, os.availableParallelism() and paths resolved
 * against the working directory. Installed by the Node entry only (entries/node.ts), so that the
 * browser and inline entries never refer to Node's modules.
 */
import { availableParallelism, cpus } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { workerCount, type ThreadHost } from './pool.js';
import { BODY } from './worker-source.js';

/**
 * A Node `worker_threads` worker, as an ES module in a data: URL: `eval: true` source would be read
 * as CommonJS or as a module depending on the process's flags (`--input-type=module` makes it a
 * module, where `require` is undefined); a data: URL is a module whatever the flags. It imports only
 * a builtin, and the task by its absolute URL, which is all a data: URL module may resolve.
 */
const NODE_WORKER_URL = new URL(
  `data:text/javascript,${encodeURIComponent(`import { parentPort } from 'node:worker_threads';
const post = (m) => parentPort.postMessage(m);
${BODY}
parentPort.on('message', (m) => { handle(m); });
`)}`,
);

export const nodeThreads: ThreadHost = {
  cores: () => availableParallelism?.() ?? cpus().length,
  pathToHref: (path) => pathToFileURL(resolve(path)).href,
  spawn(listener) {
    const worker = new Worker(NODE_WORKER_URL);
    workerCount.started();
    let ended = false;
    let exited = false;
    const exit = new Promise<void>((done) => worker.once('exit', () => done()));
    worker.on('message', (data) => listener.message(data));
    worker.on('error', (error) => listener.crash(error));
    worker.on('messageerror', (error) => listener.crash(error));
    worker.on('exit', (code) => {
      exited = true;
      if (!ended) {
        ended = true;
        workerCount.ended();
      }
      listener.crash(new Error(`the worker exited with code ${code}`));
    });
    return {
      post: (message) => worker.postMessage(message),
      // An idle worker of a kept pool lets the process exit (a forgotten close() does not hang it).
      busy: (busy) => (busy ? worker.ref() : worker.unref()),
      async terminate() {
        if (!exited) await worker.terminate();
        await exit;
      },
    };
  },
};
