import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveReports } from '../../src/report/index.js';
import { writeSyntheticRun } from '../report/fixture.js';
import { buildCli, cli, main, root } from './cli.js';

// `faultline serve` as a child process: what it refuses before listening, and what a running server
// does with a bad run, a symlink out of the store and a foreign Host.

let dir: string;
beforeAll(async () => {
  await buildCli();
  dir = mkdtempSync(join(tmpdir(), 'faultline-serve-'));
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function get(url: string, host?: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: host === undefined ? {} : { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
}

/** Starts `faultline serve`; resolves with its URL once it prints it. */
function serve(store: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [main, 'serve', '--port', '0', '--store', store], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) ok({ child, url: m[1]! });
    });
    child.stderr!.on('data', (c) => {
      err += c;
    });
    child.on('exit', (code) => fail(new Error(`serve exited ${code}: ${err}`)));
  });
}

describe('faultline serve', () => {
  it('refuses a store that does not exist (65), in words', async () => {
    const r = await cli(['serve', '--port', '0', '--store', join(dir, 'no-such-store')], { timeoutMs: 20_000 });
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/no-such-store: cannot serve this store: does not exist/);
  });

  it('a port in use is a usage error (64) with a plain message, no stack trace', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (busy.address() as { port: number }).port;
      const r = await cli(['serve', '--port', String(port), '--store', dir], { timeoutMs: 20_000 });
      expect(r.code).toBe(64);
      expect(r.stderr).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use: pick another with --port`));
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });

  it('lists a run with a malformed run.json as unreadable, serves no symlink out of the store, answers only to its own Host', async () => {
    const store = join(dir, 'store');
    writeSyntheticRun(store, 'good');
    const bad = writeSyntheticRun(store, 'bad');
    writeFileSync(join(bad, 'run.json'), 'null');
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'outside the store\n');
    symlinkSync(secret, join(store, 'good', 'leak.txt'));
    mkdirSync(join(store, 'good', 'inside'));
    writeFileSync(join(store, 'good', 'inside', 'a.txt'), 'inside\n');
    symlinkSync(join(store, 'good', 'inside', 'a.txt'), join(store, 'good', 'ok-link.txt'));
    const { child, url } = await serve(store);
    try {
      const index = await get(url);
      expect(index.status).toBe(200);
      expect(index.body).toContain('good/20260101T000000Z');
      expect(index.body).toMatch(/"verdict":"unreadable"/);
      const leak = await get(`${url}good/leak.txt`);
      expect(leak.status).toBe(403);
      expect(leak.body).not.toContain('outside the store');
      expect((await get(`${url}good/ok-link.txt`)).body).toBe('inside\n'); // a link that stays inside is fine
      const port = new URL(url).port;
      expect((await get(url, `evil.example:${port}`)).status).toBe(421);
      expect((await get(url, '127.0.0.1.evil.example')).status).toBe(421);
      for (const h of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) expect((await get(url, h)).status, h).toBe(200);
      expect(child.exitCode).toBe(null);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('a read error on one file fails that request only; the server keeps serving', async () => {
    const store = join(dir, 'eio');
    writeSyntheticRun(store, 'good');
    const lines: string[] = [];
    const failing = () =>
      new Readable({
        read() {
          this.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
        },
      });
    const { server, url } = await serveReports(store, 0, { readFile: failing, log: (l) => lines.push(l) });
    try {
      await get(`${url}good/20260101T000000Z/run.json`).catch(() => undefined); // cut off: fine
      expect(lines.join('\n')).toMatch(/run\.json: input\/output error/);
      expect((await get(url)).status).toBe(200);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
