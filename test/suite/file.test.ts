import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { adapterNames } from '../../src/adapters/index.js';
import { faultPackages } from '../../src/nemesis/index.js';
import { WORKLOAD_CHECKS } from '../../src/run/checks.js';
import { builtInCatalog, deriveId, loadSuite, suiteFromText, type Catalog } from '../../src/suite/file.js';
import { parseJsonWithLines } from '../../src/suite/positions.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'suites');
const fixture = (name: string) => join(fixtures, name);
let catalog: Catalog;
beforeAll(async () => {
  catalog = await builtInCatalog();
});

/** The InputError message of a suite text that must be refused. */
async function refusal(text: string, file = 'suite.json'): Promise<string> {
  try {
    await suiteFromText(text, file, catalog);
  } catch (e) {
    expect((e as Error).name).toBe('InputError');
    return (e as Error).message;
  }
  throw new Error('the suite was accepted');
}

describe('the position-tracking JSON parser', () => {
  it('parses what JSON.parse parses and maps each path to its line', () => {
    const text = '{\n  "a": 1,\n  "b": [\n    "x",\n    {"c": true}\n  ],\n  "d e": null\n}';
    const { value, lines } = parseJsonWithLines(text);
    expect(value).toEqual(JSON.parse(text));
    expect(lines.get('a')).toBe(2);
    expect(lines.get('b')).toBe(3);
    expect(lines.get('b[0]')).toBe(4);
    expect(lines.get('b[1].c')).toBe(5);
    expect(lines.get('["d e"]')).toBe(7);
  });

  it('reads escapes, numbers and a byte-order mark', () => {
    const text = '\ufeff{"s": "a\\"b\\u00e9\\n", "n": [-0.5e2, 0, 12]}';
    expect(parseJsonWithLines(text).value).toEqual({ s: 'a"bé\n', n: [-50, 0, 12] });
  });

  it.each([
    ['{"a": 1,}', 1, /expected a key/],
    ['{\n"a": [1 2]}', 2, /expected ',' or '\]'/],
    ['{"a": 1}\n{', 2, /after the end/],
    ['{"a": "x\ny"}', 1, /control character/],
    ['{"a": 1, "a": 2}', 1, /given twice/],
    ['', 1, /expected a value, found the end of the file/],
  ])('refuses %j at line %i', (text, line, msg) => {
    try {
      parseJsonWithLines(text);
      throw new Error('accepted');
    } catch (e) {
      expect((e as { line: number }).line).toBe(line);
      expect((e as Error).message).toMatch(msg);
    }
  });

  it('keeps a "__proto__" key as data', () => {
    const v = parseJsonWithLines('{"__proto__": {"x": 1}}').value as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('suite files: validation names the file, the line and the field', () => {
  it('a replication mode the database does not have', async () => {
    await expect(loadSuite(fixture('bad-replication.json'), catalog)).rejects.toThrow(
      /bad-replication\.json:11: matrix\.replication\[1\]: 'asyncc' is not a replication mode of postgres \(modes: async, sync, remote-apply\)/,
    );
  });

  it('a YAML file: the same error names the line of the bad value; a good one expands like JSON', async () => {
    await expect(loadSuite(fixture('bad-replication.yaml'), catalog)).rejects.toThrow(
      /bad-replication\.yaml:10: matrix\.replication\[1\]: 'asyncc' is not a replication mode of postgres/,
    );
    const ok = await loadSuite(fixture('matrix.yaml'), catalog);
    expect(ok.entries.map((e) => e.replication)).toEqual(['async', 'remote-apply']);
  });

  it('a JSON syntax error: line and column', async () => {
    await expect(loadSuite(fixture('syntax.json'), catalog)).rejects.toThrow(/syntax\.json:4:25: not valid JSON: expected a key in double quotes/);
  });

  it('a missing file', async () => {
    await expect(loadSuite(fixture('nope.json'), catalog)).rejects.toThrow(/cannot read the suite file: it does not exist/);
  });

  it('unknown fields, with a suggestion', async () => {
    const m = await refusal('{\n  "name": "s",\n  "entries": [\n    { "db": "redis", "replicaton": "async" }\n  ]\n}');
    expect(m).toMatch(/^suite\.json:4: entries\[0\]\.replicaton: unknown field 'replicaton'; did you mean 'replication'\?$/m);
  });

  it('bad values: types and ranges, every problem at once', async () => {
    const m = await refusal(
      [
        '{',
        '  "name": "has space",',
        '  "timeLimit": -1,',
        '  "defaults": { "nodes": 12, "reads": "replica" },',
        '  "matrix": { "db": ["redis"], "nemesis": ["partition", "partiton,kill"], "rate": [1, 2] }',
        '}',
      ].join('\n'),
    );
    expect(m).toMatch(/^suite\.json:2: name: 'has space' is not a suite name/m);
    expect(m).toMatch(/^suite\.json:3: timeLimit: -1 is not a number of seconds > 0$/m);
    expect(m).toMatch(/^suite\.json:4: defaults\.nodes: 12 is not a node count: a whole number from 1 to 9$/m);
    expect(m).toMatch(/^suite\.json:4: defaults\.reads: 'replica' is not where reads go \(primary, replicas, any\)$/m);
    expect(m).toMatch(/^suite\.json:5: matrix\.nemesis\[1\]: 'partiton' is not a fault package/m);
    expect(m).toMatch(/^suite\.json:5: matrix\.rate: rate cannot be a list in a matrix/m);
  });

  it('a workload the database does not run, and cross-field rules', async () => {
    const m = await refusal(
      JSON.stringify(
        { name: 's', entries: [{ db: 'postgres', nodes: 1, reads: 'replicas' }, { db: 'postgres', sentinel: true }, { db: 'mongo' }, { workload: 'set' }] },
        null,
        2,
      ),
    );
    expect(m).toMatch(/entries\[0\]\.reads: reads replicas needs at least 2 nodes/);
    expect(m).toMatch(/entries\[1\]\.sentinel: sentinel is for db redis/);
    expect(m).toMatch(/entries\[2\]\.db: 'mongo' is not a database \(postgres, mysql, redis, cassandra; or load one with "adapter"\)/);
    expect(m).toMatch(/entries\[3\]: no database/);
  });

  it('a setting given both at the top and in defaults', async () => {
    const m = await refusal('{\n"name": "s",\n"repeat": 2,\n"defaults": {\n"repeat": 3 },\n"entries": [{"db": "redis"}]}');
    expect(m).toMatch(/^suite\.json:5: defaults\.repeat: repeat is given twice: at the top of the suite \(line 3\) and in defaults$/m);
  });

  it('no runs at all', async () => {
    expect(await refusal('{"name": "s"}')).toMatch(/give a "matrix" or "entries"/);
    expect(await refusal('{"name": "s", "matrix": {"db": ["redis"], "exclude": [{"db": "redis"}]}}')).toMatch(/every matrix cell was excluded/);
    expect(await refusal('[1]')).toMatch(/^suite\.json:1: a suite file is an object/);
  });
});

describe('expectations', () => {
  it('valid (the default), any, and anomalies with a repeat; seeds given or derived', async () => {
    const s = await loadSuite(fixture('expectations.json'), catalog);
    expect(s.entries.map((e) => [e.id, e.expect, e.repeat, e.seed])).toEqual([
      ['safe', { kind: 'valid' }, 2, 42],
      ['unsafe', { kind: 'anomalies', anomalies: ['read-your-writes'] }, 3, 42],
      ['anything', { kind: 'any' }, 2, 7],
    ]);
  });

  it('refuses a form that is none of them, and anomalies no checker of the workload finds', async () => {
    const m = await refusal(
      JSON.stringify(
        {
          name: 's',
          entries: [
            { db: 'redis', expect: 'invalid' },
            { db: 'redis', expect: { anomalies: [] } },
            { db: 'redis', expect: { anomalys: ['x'] } },
            { db: 'redis', expect: { anomalies: ['recovery'] } },
          ],
        },
        null,
        1,
      ),
    );
    expect(m).toMatch(/entries\[0\]\.expect: 'invalid' is not an expectation: 'valid', 'any' or \{"anomalies": \[checker names\]\}/);
    expect(m).toMatch(/entries\[1\]\.expect\.anomalies: anomalies must be a non-empty list/);
    expect(m).toMatch(/entries\[2\]\.expect\.anomalys: unknown field/);
  });

  it('refuses anomalies no checker of the entry workload (and faults) looks for', async () => {
    const m = await refusal(
      JSON.stringify({
        name: 's',
        entries: [
          { db: 'redis', workload: 'register', expect: { anomalies: ['read-your-writes'] } },
          // recovery judges runs with faults only.
          { db: 'redis', expect: { anomalies: ['recovery'] } },
          { db: 'redis', nemesis: 'kill', expect: { anomalies: ['recovery', 'stats'] } },
        ],
      }),
    );
    expect(m).toMatch(/entries\[0\]\.expect\.anomalies\[0\]: 'read-your-writes' is not a checker of the register workload \(checkers: linearizable\)/);
    expect(m).toMatch(/entries\[1\]\.expect\.anomalies\[0\]: 'recovery' is not a checker of the append workload \(/);
    expect(m).toMatch(/entries\[2\]\.expect\.anomalies\[1\]: 'stats' is not a checker of the append workload with kill/);
    expect(m).not.toMatch(/entries\[2\]\.expect\.anomalies\[0\]/);
  });
});

describe('matrix expansion and ids', () => {
  it('the cartesian product in the file order, each cell with the defaults and the matrix settings', async () => {
    const s = await loadSuite(fixture('matrix.json'), catalog);
    expect(s.name).toBe('matrix');
    expect(s.entries.map((e) => e.id)).toEqual([
      'postgres-async-primary-append-none',
      'postgres-async-replicas-append-none',
      'postgres-remote-apply-primary-append-none',
      'postgres-remote-apply-replicas-append-none',
    ]);
    for (const e of s.entries) expect(e).toMatchObject({ timeLimitS: 8, keys: 1, rate: 2000, expect: { kind: 'any' }, repeat: 1, nodes: 3, runtime: 'auto' });
  });

  it('several matrices, exclusions, node counts in ids, and the database default replication', async () => {
    const s = await suiteFromText(
      JSON.stringify({
        name: 's',
        matrix: [
          { db: ['postgres', 'mysql'], replication: ['async', 'sync'], exclude: [{ db: 'mysql', replication: 'sync' }] },
          { db: 'cassandra', nodes: [3, 5], nemesis: 'partition,kill', expect: { anomalies: ['recovery'] } },
        ],
      }),
      'suite.json',
      catalog,
    );
    expect(s.entries.map((e) => e.id)).toEqual([
      'postgres-async-primary-append-none',
      'postgres-sync-primary-append-none',
      'mysql-async-primary-append-none',
      'cassandra-quorum-primary-append-partition+kill',
      'cassandra-quorum-primary-append-partition+kill-5n',
    ]);
    expect(s.entries[3]!.replication).toBe('quorum');
  });

  it('without the exclusion, the mode one database lacks is named with it', async () => {
    const m = await refusal(JSON.stringify({ name: 's', matrix: { db: ['postgres', 'mysql'], replication: ['async', 'sync'] } }, null, 2));
    expect(m).toMatch(/matrix\.replication\[1\]: 'sync' is not a replication mode of mysql \(modes: async, semi-sync\)/);
  });

  it('ids must be unique, naming both places', async () => {
    await expect(loadSuite(fixture('duplicate-ids.json'), catalog)).rejects.toThrow(
      /duplicate-ids\.json:5: entries\[0\]: the id 'redis-async-replicas-append-none' is also the id of the matrix cell db 'redis', reads 'replicas' \(line 3\)/,
    );
    const m = await refusal('{"name": "s", "entries": [\n{"id": "a", "db": "redis"},\n{"id": "a", "db": "mysql"}]}');
    expect(m).toMatch(/^suite\.json:3: entries\[1\]\.id: the id 'a' is also the id of entries\[0\]\.id \(line 2\)/m);
  });

  it('topologies (issue 16): a writesTo axis for multi-leader MariaDB, ids that say so, the checkers each topology adds', async () => {
    const s = await suiteFromText(
      JSON.stringify({
        name: 's',
        matrix: { db: 'mysql', topology: 'multi-leader', writesTo: ['session', 'key'], nodes: 2, expect: { anomalies: ['conflicts'] } },
        entries: [{ db: 'cassandra', replication: 'one', nemesis: 'partition', convergeWithin: 20, expect: { anomalies: ['convergence'] } }],
      }),
      'suite.json',
      catalog,
    );
    expect(s.entries.map((e) => e.id)).toEqual([
      'mysql-multi-leader-async-primary-append-none-writes-by-session-2n',
      'mysql-multi-leader-async-primary-append-none-writes-by-key-2n',
      // An entry that names no topology keeps the id it always had.
      'cassandra-one-primary-append-partition',
    ]);
    expect(s.entries[1]).toMatchObject({ topology: 'multi-leader', writesTo: 'key', nodes: 2 });
    expect(s.entries[2]).toMatchObject({ convergeWithinS: 20 });
    expect(s.entries[2]!.topology).toBeUndefined();
  });

  it('topologies a database lacks, and settings without the topology they belong to, are refused with their lines', async () => {
    const m = await refusal(
      JSON.stringify(
        {
          name: 's',
          entries: [
            { db: 'postgres', topology: 'multi-leader' },
            { db: 'redis', writesTo: 'key' },
            { db: 'mysql', convergeWithin: 5 },
            { db: 'mysql', topology: 'multi-leader', expect: { anomalies: ['read-your-writes'] } },
          ],
        },
        null,
        2,
      ),
    );
    expect(m).toMatch(/entries\[0\]\.topology: postgres has no multi-leader topology \(topologies: single-leader\)/);
    expect(m).toMatch(/entries\[1\]\.writesTo: writesTo is for topology multi-leader/);
    expect(m).toMatch(/entries\[2\]\.convergeWithin: convergeWithin is for the multi-leader and leaderless topologies/);
    expect(m).toMatch(/entries\[3\]\.expect\.anomalies\[0\]: 'read-your-writes' is not a checker of the append workload \(checkers: convergence, conflicts\)/);
    const bad = await refusal(JSON.stringify({ name: 's', entries: [{ db: 'mysql', topology: 'mesh' }] }));
    expect(bad).toMatch(/entries\[0\]\.topology: 'mesh' is not a topology \(single-leader, multi-leader, leaderless\)/);
  });

  it('derived ids are file-name safe', () => {
    expect(deriveId({ db: 'cassandra', replication: 'one/quorum', reads: 'any', workload: 'set', nemesis: 'kill, pause', nodes: 3 })).toBe(
      'cassandra-one_quorum-any-set-kill+pause',
    );
  });

  it('seed "random": one base per suite run, different per entry, recorded', async () => {
    const text = JSON.stringify({ name: 's', seed: 'random', entries: [{ db: 'redis' }, { db: 'mysql' }] });
    const a = await suiteFromText(text, 'suite.json', catalog);
    expect(a.entries[0]!.seed).not.toBe(a.entries[1]!.seed);
    for (const e of a.entries) expect(Number.isInteger(e.seed)).toBe(true);
  });
});

describe('the published schema agrees with the validator', () => {
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schemas', 'suite.schema.json'), 'utf8')) as {
    $schema: string;
    $defs: {
      options: {
        properties: Record<string, { enum?: string[]; pattern?: string }>;
        allOf: Array<{ if: unknown; then: { properties: { replication: { enum: string[] } } } }>;
      };
    };
  };

  it('is draft 2020-12 and describes every option', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    for (const [k, v] of Object.entries(schema.$defs.options.properties))
      if (k !== 'expect') expect((v as { description?: string }).description, k).toBeTruthy();
  });

  it('lists the workloads, fault packages and each database replication modes the code has', () => {
    const p = schema.$defs.options.properties;
    expect(p.workload!.enum).toEqual(Object.keys(WORKLOAD_CHECKS));
    for (const f of Object.keys(faultPackages)) expect(p.nemesis!.pattern).toContain(f);
    expect(schema.$defs.options.allOf.map((c) => JSON.stringify(c.if))).toHaveLength(adapterNames.length);
    for (const [i, db] of adapterNames.entries())
      expect(schema.$defs.options.allOf[i]!.then.properties.replication.enum).toEqual([...catalog[db]!.replication]);
  });

  it('the example suite is valid', async () => {
    const s = await loadSuite(join(import.meta.dirname, '..', '..', 'examples', 'suites', 'nightly.json'), catalog);
    expect(new Set(s.entries.map((e) => e.db))).toEqual(new Set(['postgres', 'mysql', 'redis', 'cassandra']));
  });
});
