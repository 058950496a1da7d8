import { beforeAll, describe, expect, it } from 'vitest';
import { runtimeNames } from '../../src/runtime/index.js';
import { buildCli, cli } from './cli.js';

beforeAll(buildCli, 180_000);

// --runtime takes its choices from the runtime registry (src/runtime/index.ts) plus auto; a name it lacks
// is a usage error in one sentence, before anything starts.
describe('faultline run --runtime', () => {
  it('refuses a runtime that does not exist as a usage error (64), naming the ones there are, with no stack trace', async () => {
    const r = await cli(['run', '--runtime', 'bogus', '--nemesis', 'none']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^faultline run: option '--runtime <kind>' argument 'bogus' is invalid\. Allowed choices are local, docker, auto\.$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('lists the runtimes of the registry in --help, auto the default', async () => {
    const r = await cli(['run', '--help']);
    expect(r.code).toBe(0);
    expect(runtimeNames).toEqual(['local', 'docker']);
    expect(r.stdout).toMatch(/--runtime <kind>[\s\S]*?\(choices:\s+"local",\s+"docker",\s+"auto",\s+default:\s+"auto"\)/);
  });

  it('refuses --image off the docker runtime, and an image that is not built, each in one sentence (64)', async () => {
    const local = await cli(['run', '--runtime', 'local', '--image', 'faultline/postgres:bookworm', '--time-limit', '1']);
    expect(local.code).toBe(64);
    expect(local.stderr).toMatch(/--image is for the docker runtime; this run uses local/);
    const missing = await cli(['run', '--runtime', 'docker', '--image', 'faultline/no-such-image:0', '--time-limit', '1']);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toMatch(/faultline\/no-such-image:0 is not built: run `faultline images build`/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('faultline doctor', () => {
  it('says per runtime and database what works here (both runtimes work on this machine: exit 0)', async () => {
    const r = await cli(['doctor']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^local: works/m);
    expect(r.stdout).toMatch(/^docker: works/m);
    expect(r.stdout).toMatch(/^ {2}postgres +ready$/m);
    expect(r.stdout).toMatch(/^ready: .*local\/postgres.*docker\/postgres/m);
  }, 60_000);

  it('says what is missing when no engine answers, and that local still works', async () => {
    const r = await cli(['doctor'], { env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^docker: cannot run here: no Docker engine answers at \/nonexistent\/docker.sock/m);
    expect(r.stdout).toMatch(/^local: works/m);
  }, 60_000);
});
