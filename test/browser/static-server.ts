// A static file server on 127.0.0.1 for the browser tests: correct content types (application/wasm,
// so that instantiateStreaming is used) and, under /csp/ and /csp-no-wasm/, the same files served
// with a Content-Security-Policy header.
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/** Path prefixes that add a policy: the one we document, and one without 'wasm-unsafe-eval'. */
export const CSP_PREFIXES: Record<string, string> = {
  '/csp/': "script-src 'self' 'wasm-unsafe-eval'",
  '/csp-no-wasm/': "script-src 'self'",
};

export interface StaticServer {
  origin: string;
  /** Every path requested so far, with its status. */
  requests: { path: string; status: number; type?: string }[];
  close(): Promise<void>;
}

/** `cors`: allow every origin to fetch (a CDN, for the page served by another server). */
export async function startStaticServer(root: string, { cors = false } = {}): Promise<StaticServer> {
  const requests: StaticServer['requests'] = [];
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    let path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    if (cors) headers['access-control-allow-origin'] = '*';
    for (const [prefix, policy] of Object.entries(CSP_PREFIXES)) {
      if (path.startsWith(prefix)) {
        headers['content-security-policy'] = policy;
        path = path.slice(prefix.length - 1);
      }
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    let status = 200;
    if (!file.startsWith(root + sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      status = 404;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    } else {
      headers['content-type'] = TYPES[extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, headers);
      createReadStream(file).pipe(res);
    }
    requests.push({ path: req.url ?? '', status, type: headers['content-type'] });
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
