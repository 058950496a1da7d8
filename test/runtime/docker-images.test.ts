import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BASE_KEY,
  DATABASE_IMAGES,
  IMAGE_LABEL,
  buildDockerfile,
  buildImages,
  dockerfile,
  hostMirrors,
  imageId,
  mirrorsFrom,
  parseSources,
  sourcesList,
  type BuiltImage,
} from '../../src/runtime/docker/build.js';
import { dockerClient, requireEngine } from '../../src/runtime/docker/engine.js';
import { imageRef } from '../../src/runtime/docker/images.js';

// Issue 12: the docker runtime's images, built locally (no registry) with dockerode. The first part needs
// no engine; the second builds (or finds) every image and runs a throwaway container in each to see what
// its adapter looks for. Without an engine that part fails in CI (CI=true) and skips, saying why, elsewhere.

describe('apt sources and Dockerfiles (no engine needed)', () => {
  it('reads the mirror from one-line and deb822 sources, and writes the image sources from it', () => {
    const oneLine = parseSources(
      '# comment\ndeb [arch=amd64] http://mirror.example/debian/ bookworm main\ndeb http://sec.example/debian-security bookworm-security main\n',
    );
    expect(mirrorsFrom(oneLine)).toEqual({ main: 'http://mirror.example/debian', security: 'http://sec.example/debian-security' });
    const deb822 = parseSources(
      'Types: deb\n# http://snapshot.debian.org/x\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\n' +
        'Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\n',
    );
    expect(mirrorsFrom(deb822)).toEqual({ main: 'http://deb.debian.org/debian' });
    expect(mirrorsFrom([])).toEqual({ main: 'http://deb.debian.org/debian' });
    expect(sourcesList({ main: 'http://m/debian', security: 'http://m/debian-security' }).split('\n')).toEqual([
      'deb http://m/debian bookworm main',
      'deb http://m/debian bookworm-updates main',
      'deb http://m/debian-security bookworm-security main',
      '',
    ]);
    expect(hostMirrors().main).toMatch(/^https?:\/\//);
  });

  it('every database image is FROM the base, labelled, installs with no service started, and checks what its adapter needs', () => {
    for (const key of DATABASE_IMAGES) {
      const d = dockerfile(key);
      expect(d.split('\n')[0], key).toBe(`FROM ${imageRef(BASE_KEY)}`);
      expect(d, key).toContain(`LABEL ${IMAGE_LABEL}=${key}`);
      expect(d, key).toContain('exit 101');
      expect(d, key).toContain('rm -f /usr/sbin/policy-rc.d');
      expect(d, key).toMatch(/&& id \w+/);
    }
    expect(dockerfile('postgres')).toContain('create_main_cluster = false');
    expect(dockerfile('cassandra')).toContain('useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin cassandra');
  });
});

const docker = dockerClient();
const noEngine = await requireEngine(docker).then(
  () => undefined,
  (e: Error) => e.message,
);
const inCI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
/** On throwaway containers, so that nothing of ours is left is one query. */
const TEST_LABEL = 'faultline.test';

if (noEngine && !inCI) console.warn(`docker-images.test.ts: skipping the image builds: ${noEngine}`);

describe.runIf(noEngine && inCI)('without a Docker engine in CI', () => {
  it('fails instead of skipping: CI must build and check the images', () => {
    throw new Error(`${noEngine}; CI runs the docker runtime's image tests (scripts/setup.sh docker starts an engine as root)`);
  });
});

/** Runs argv in a throwaway container of `image` (no network); its exit code and output. The container is always removed. */
async function inContainer(image: string, argv: string[]): Promise<{ code: number; output: string }> {
  const c = await docker.createContainer({
    Image: image,
    Cmd: argv,
    Labels: { [TEST_LABEL]: 'docker-images' },
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    const logs = (await c.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    // The multiplexed log stream: an 8-byte header before each frame.
    let output = '';
    for (let i = 0; i + 8 <= logs.length;) {
      const n = logs.readUInt32BE(i + 4);
      output += logs.subarray(i + 8, i + 8 + n).toString();
      i += 8 + n;
    }
    return { code: StatusCode, output };
  } finally {
    await c.remove({ force: true });
  }
}

/** What each image must have, as its adapter (run unchanged through docker exec) looks for it on a Debian host. */
const CHECKS: Record<string, string> = {
  base:
    'command -v ip iptables setpriv ps tar nsenter && ls /usr/lib/*/faketime/libfaketime.so.1 && test -f /etc/ssl/certs/ca-certificates.crt' +
    ' && grep -q "bookworm main" /etc/apt/sources.list',
  postgres:
    'for b in postgres initdb pg_basebackup pg_ctl; do test -x /usr/lib/postgresql/15/bin/$b || exit 1; done && id postgres' +
    ' && test ! -e /var/lib/postgresql/15/main && test -z "$(ls /etc/postgresql 2>/dev/null)"',
  mysql: 'mariadbd --version | grep -qi mariadb && command -v mariadb-install-db && id mysql',
  redis: 'redis-server --version && redis-sentinel --version && id redis',
  cassandra:
    'java=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)/bin/java && $java -XX:-UsePerfData -version' +
    ' && test -r /var/cache/faultline/cassandra-5.0.9/lib/cassandra-all-5.0.9.jar && id cassandra && getent passwd cassandra | grep -q /usr/sbin/nologin',
  etcd: 'etcd --version && etcdctl version && id etcd',
};

describe.skipIf(!!noEngine)("the docker runtime's images", () => {
  let built: BuiltImage[] = [];

  beforeAll(async () => {
    // Minutes the first time (debootstrap, then apt in each image); seconds when they exist.
    built = await buildImages(docker, DATABASE_IMAGES, { progress: (l) => console.error(`images: ${l}`) });
  }, 1_800_000);

  afterAll(async () => {
    const left = await docker.listContainers({ all: true, filters: { label: [TEST_LABEL] } });
    expect(left.map((c) => c.Names.join(','))).toEqual([]);
  });

  it('builds or finds the base and every database image, labelled with its key', async () => {
    expect(built.map((b) => b.ref)).toEqual([BASE_KEY, ...DATABASE_IMAGES].map(imageRef));
    for (const b of built) {
      const info = await docker.getImage(b.ref).inspect();
      expect(info.Config.Labels?.[IMAGE_LABEL], b.ref).toBe(b.key);
    }
  });

  it('keeps images that exist: a second build is a no-op', async () => {
    const t0 = Date.now();
    const again = await buildImages(docker, DATABASE_IMAGES);
    expect(again.map((b) => b.built)).toEqual(again.map(() => false));
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  for (const key of [BASE_KEY, ...DATABASE_IMAGES]) {
    it(`${imageRef(key)} has what its adapter looks for`, async () => {
      const r = await inContainer(imageRef(key), ['sh', '-c', CHECKS[key]!]);
      expect(r.code, r.output).toBe(0);
    }, 120_000);
  }

  it('a failing build step is an Error with the step and its last lines, and leaves no container behind', async () => {
    const ref = 'faultline/test-failing-build:bookworm';
    await expect(
      buildDockerfile(docker, ref, `FROM ${imageRef(BASE_KEY)}\nRUN echo about to fail && false\nLABEL ${TEST_LABEL}=docker-images`),
    ).rejects.toThrow(/building faultline\/test-failing-build:bookworm failed: .*non-zero code: 1[\s\S]*about to fail/);
    expect(await imageId(docker, ref)).toBeUndefined();
  }, 120_000);
});
