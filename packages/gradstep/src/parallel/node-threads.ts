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

/** A Node `worker_threads` worker (`eval: true`: a CommonJS script; `import()` loads the task). */
const NODE_WORKER_SOURCE = `'use strict';
const { parentPort } = require('node:worker_threads');
const post = (m) => parentPort.postMessage(m);
${BODY}
parentPort.on('message', (m) => { handle(m); });
`;

export const nodeThreads: ThreadHost = {
  cores: () => availableParallelism?.() ?? cpus().length,
  pathToHref: (path) => pathToFileURL(resolve(path)).href,
  spawn(listener) {
    const worker = new Worker(NODE_WORKER_SOURCE, { eval: true });
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
      async terminate() {
        if (!exited) await worker.terminate();
        await exit;
      },
    };
  },
};
