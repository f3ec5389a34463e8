// A worker of the search panel's pool: Vite bundles this file (with gradstep inside) because the page
// creates it as new Worker(new URL('./pool-worker.ts', import.meta.url), { type: 'module' }).
import { servePoolWorker } from 'gradstep';

servePoolWorker();
