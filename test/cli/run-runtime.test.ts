import { beforeAll, describe, expect, it } from 'vitest';
import { runtimeNames } from '../../src/runtime/index.js';
import { buildCli, cli } from './cli.js';

beforeAll(buildCli, 180_000);

// --runtime takes its choices from the runtime registry (src/runtime/index.ts); a name it lacks is a
// usage error in one sentence, before anything starts.
describe('faultline run --runtime', () => {
  it('refuses a runtime that does not exist as a usage error (64), naming the ones there are, with no stack trace', async () => {
    const r = await cli(['run', '--runtime', 'bogus', '--nemesis', 'none']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^faultline run: option '--runtime <kind>' argument 'bogus' is invalid\. Allowed choices are local\.$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('lists the runtimes of the registry in --help', async () => {
    const r = await cli(['run', '--help']);
    expect(r.code).toBe(0);
    expect(runtimeNames).toEqual(['local']);
    expect(r.stdout).toMatch(/--runtime <kind>\s+where nodes run \(choices:\s+"local",\s+default:\s+"local"\)/);
  });
});
