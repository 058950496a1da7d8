import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/runtime/local/node.js';
import { localRuntime } from '../../src/runtime/local/index.js';

// The door's file and process calls of the local runtime, in a real temp folder and on real processes.
// A LocalNode needs no namespace for them (only exec and spawn enter it), so no root is needed here.
describe('local runtime: a node as the door to its files and processes', () => {
  let dir: string;
  let node: LocalNode;
  const me = userInfo();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fl-remote-'));
    node = new LocalNode('abc123', 'n1', '10.77.10.11', join(dir, 'n1'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates directories with their parents, sets mode and owner of the last one even when it exists', async () => {
    const d = join(node.dir, 'a', 'b');
    await node.mkdir(d, { mode: 0o700, owner: me.username });
    expect(statSync(d).mode & 0o777).toBe(0o700);
    expect(statSync(d).uid).toBe(me.uid);
    await node.mkdir(d, { mode: 0o750 });
    expect(statSync(d).mode & 0o777).toBe(0o750);
    expect(await node.exists(d)).toBe(true);
    expect(await node.exists(join(d, 'nothing'))).toBe(false);
  });

  it('writes, appends and reads files; mode applies when the file is created', async () => {
    await node.mkdir(node.dir);
    const f = join(node.dir, 'x.conf');
    await node.writeFile(f, 'a\n', { mode: 0o600, owner: me.username });
    await node.writeFile(f, 'b\n', { append: true, mode: 0o644 });
    expect(await node.readFile(f)).toBe('a\nb\n');
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(statSync(f).uid).toBe(me.uid);
    await node.writeFile(f, 'c\n');
    expect(await node.readFile(f)).toBe('c\n');
    await expect(node.readFile(join(node.dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });

  it('lists, renames and removes; removing what is not there is fine; a rename onto a non-empty folder throws', async () => {
    const a = join(node.dir, 'a');
    const b = join(node.dir, 'b');
    await node.mkdir(a);
    await node.writeFile(join(a, 'f'), '1');
    expect(await node.readdir(a)).toEqual(['f']);
    await node.rename(a, b);
    expect(await node.readdir(node.dir)).toEqual(['b']);
    await node.mkdir(a);
    await node.writeFile(join(a, 'g'), '2');
    await expect(node.rename(a, b)).rejects.toThrow();
    await node.remove(b);
    await node.remove(b);
    expect(await node.readdir(node.dir)).toEqual(['a']);
  });

  it('finds installed commands and says undefined for missing ones', async () => {
    expect(await node.which('ls')).toMatch(/^\/.*\/ls$/);
    expect(await node.which('no-such-command-faultline')).toBeUndefined();
    expect(node.cacheDir).toBe(tmpdir());
  });

  it('lists descendants, signals them and tells which still run', async () => {
    // A parent that forks a sleeping child and exits when it does: a service and the worker it forked.
    const script = "const c = require('node:child_process').spawn('sleep', ['30'], { stdio: 'ignore' }); c.on('exit', () => process.exit(0));";
    const parent = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    const exited = new Promise((r) => parent.once('exit', r));
    let kids: number[] = [];
    try {
      for (let i = 0; i < 200 && kids.length === 0; i++) {
        kids = await node.descendants(parent.pid!);
        if (kids.length === 0) await new Promise((r) => setTimeout(r, 5));
      }
      expect(kids).toHaveLength(1);
      expect(await node.running([parent.pid!, ...kids])).toEqual([parent.pid!, ...kids]);
      await node.signal(kids, 'SIGKILL');
      await exited;
      expect(await node.running([parent.pid!, ...kids])).toEqual([]);
      await node.signal(kids, 'SIGKILL'); // already gone: no error
    } finally {
      parent.kill('SIGKILL');
      await node.signal(kids, 'SIGKILL');
    }
  });

  it('the runtime probe is the host: commands run there, with the same files', async () => {
    const probe = localRuntime.probe();
    const r = await probe.exec(['getent', 'passwd', me.username]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(`${me.username}:`)).toBe(true);
    await probe.writeFile(join(dir, 'p'), 'probe');
    expect(await node.readFile(join(dir, 'p'))).toBe('probe');
  });
});
