import { createReadStream, realpathSync, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { InputError, UsageError } from '../errors.js';
import { fsReason } from '../fs-words.js';
import { runsIndexHtml } from './index-page.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.png': 'image/png',
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.log': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
};

export interface ServeOptions {
  /** Opens a file's bytes (tests pass one that fails, as a disk with EIO does). */
  readFile?: (file: string) => Readable;
  /** Where one-line server errors go (default stderr). */
  log?: (line: string) => void;
}

/**
 * Serves a reports folder on 127.0.0.1 (never another interface): `/` is the index of runs, built
 * fresh per request; every other path is a file under the folder (no listing). Nothing outside the
 * folder: a path or a symlink whose real path leaves it is not served. Requests must name this
 * server in Host (127.0.0.1, localhost or [::1], with the port), so a page on another site cannot
 * reach it through DNS rebinding. A bad run or a failing read is one failed request, never the end
 * of the server. Refuses a store that does not exist (InputError) and a port it cannot listen on
 * (UsageError), in words.
 */
export async function serveReports(store: string, port: number, opts: ServeOptions = {}): Promise<{ server: Server; url: string }> {
  let root: string;
  try {
    root = realpathSync(resolve(store));
    if (!statSync(root).isDirectory()) throw new InputError('is not a folder: give the reports folder (--store)', store);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot serve this store: ${fsReason(e)}`, store);
  }
  const log = opts.log ?? ((l: string) => console.error(l));
  const readFile = opts.readFile ?? ((f: string) => createReadStream(f));
  let hosts = new Set<string>();
  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      log(`faultline serve: ${req.url ?? ''}: ${fsReason(e)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': TYPES['.txt']! }).end('internal error: see the server log\n');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) {
      res.writeHead(421, { 'content-type': TYPES['.txt']! }).end('this server answers only to 127.0.0.1, localhost or [::1] with its port\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (path.includes('\0')) {
      res.writeHead(400).end();
      return;
    }
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-store' }).end(runsIndexHtml(root));
      return;
    }
    const file = await realFileUnder(root, resolve(join(root, path)));
    if (file === 'outside') {
      res.writeHead(403, { 'content-type': TYPES['.txt']! }).end('outside the reports folder\n');
      return;
    }
    if (file === undefined) {
      res.writeHead(404, { 'content-type': TYPES['.txt']! }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'x-content-type-options': 'nosniff' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = readFile(file);
    stream.on('error', (e: Error) => {
      // Headers are out: the client sees a cut-off response; the server goes on.
      log(`faultline serve: ${file}: ${fsReason(e)}`);
      res.destroy();
    });
    stream.pipe(res);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') fail(new UsageError(`port ${port} on 127.0.0.1 is in use: pick another with --port (0 picks a free one)`));
      else if (e.code === 'EACCES') fail(new UsageError(`port ${port} on 127.0.0.1 needs more privileges: pick one above 1023 with --port`));
      else fail(new UsageError(`cannot listen on 127.0.0.1:${port}: ${fsReason(e)}`));
    });
    server.listen(port, '127.0.0.1', () => ok());
  });
  const a = server.address();
  const bound = typeof a === 'object' && a ? a.port : port;
  hosts = new Set([`127.0.0.1:${bound}`, `localhost:${bound}`, `[::1]:${bound}`]);
  if (bound === 80) for (const h of ['127.0.0.1', 'localhost', '[::1]']) hosts.add(h);
  return { server, url: `http://127.0.0.1:${bound}/` };
}

/** The real path of a regular file under root (a folder means its index.html), 'outside' when a symlink leaves root, or undefined. */
async function realFileUnder(root: string, wanted: string): Promise<string | 'outside' | undefined> {
  const within = (p: string) => p === root || p.startsWith(root + sep);
  if (!within(wanted)) return 'outside';
  let real: string;
  try {
    real = await realpath(wanted);
  } catch {
    return undefined;
  }
  if (!within(real)) return 'outside';
  const st = await stat(real).catch(() => undefined); // stat, not open: opening a FIFO would block
  if (!st) return undefined;
  if (st.isDirectory()) return wanted.endsWith(`${sep}index.html`) ? undefined : realFileUnder(root, join(real, 'index.html'));
  return st.isFile() ? real : undefined;
}
