import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cli } from './cli.js';

// `faultline suite` refuses a bad file before anything runs: exit 65, the file, line and field, no stack trace.

let dir: string;
beforeAll(async () => {
  await buildCli();
  dir = mkdtempSync(join(tmpdir(), 'faultline-suite-cli-'));
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
const noTrace = (s: string) => expect(s).not.toMatch(/\n\s+at |internal error/);

describe('faultline suite: bad input', () => {
  it('a schema error: exit 65, naming the line and the field', async () => {
    const f = join(dir, 'suite.json');
    writeFileSync(
      f,
      ['{', '  "name": "nightly",', '  "matrix": {', '    "db": ["postgres"],', '    "replication": ["async", "asyncc"]', '  }', '}'].join('\n'),
    );
    const r = await cli(['suite', f]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/suite\.json:5: matrix\.replication\[1\]: 'asyncc' is not a replication mode of postgres \(modes: async, sync, remote-apply\)/);
    noTrace(r.stderr);
  });

  it('a JSON syntax error and a missing file: exit 65', async () => {
    const f = join(dir, 'broken.json');
    writeFileSync(f, '{"name": "x",\n "entries": [}');
    const r = await cli(['suite', f]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/broken\.json:2:14: not valid JSON/);
    const m = await cli(['suite', join(dir, 'none.json')]);
    expect(m.code).toBe(65);
    expect(m.stderr).toMatch(/none\.json: cannot read the suite file: it does not exist/);
    noTrace(r.stderr + m.stderr);
  });

  it('usage errors: exit 64', async () => {
    expect((await cli(['suite'])).code).toBe(64);
    const r = await cli(['suite', 'x.json', '--parallel', '0']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/--parallel.*a whole number from 1 to 64/);
  });

  it('--dry-run validates and lists the entries of the example suite, running nothing', async () => {
    const r = await cli(['suite', 'examples/suites/nightly.json', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^suite nightly: 10 entries, 20 runs$/m);
    expect(r.stdout).toMatch(/postgres-async-replicas-append-none +x2 +20 s +seed \d+ +expect anomalies: read-your-writes/);
  });
});
