import { beforeAll, describe, expect, it } from 'vitest';
import { faultPackages } from '../../src/nemesis/index.js';
import { buildCli, cli } from './cli.js';

beforeAll(buildCli, 180_000);

describe('faultline run --help', () => {
  it('names every fault package of the nemesis table, and none', async () => {
    const r = await cli(['run', '--help']);
    expect(r.code).toBe(0);
    const names = Object.keys(faultPackages);
    expect(names.length).toBeGreaterThan(10);
    // Whole names only: 'failover' is not found inside 'naive-failover'.
    const listed = new Set(r.stdout.split(/[\s,:]+/));
    for (const n of [...names, 'none']) expect(listed, n).toContain(n);
  });
});
