import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { CASSANDRA_USER, CASSANDRA_VERSION, cassandraHomes } from '../../adapters/cassandra/install.js';
import { IMAGE_TAG, imageRef } from './images.js';

/**
 * Builds the docker runtime's images locally, with no registry: a base image from a debootstrap minbase
 * rootfs (imported into the engine), then one image per database FROM it with Debian's packages, so a
 * node in a container has the same binaries, paths and users as on a Debian host (the adapters run
 * unchanged inside the containers through `docker exec`).
 */

/** The databases with an image, by adapter key. */
export const DATABASE_IMAGES = ['postgres', 'mysql', 'redis', 'cassandra', 'etcd'] as const;
export type DatabaseImage = (typeof DATABASE_IMAGES)[number];
/** The label every image (and so every container from one) carries: its key. */
export const IMAGE_LABEL = 'faultline.image';
export const BASE_KEY = 'base';

/** What the base has besides minbase: what the local runtime's tools are on a host (ip, iptables, setpriv, ps, libfaketime). */
export const BASE_PACKAGES = ['iproute2', 'iptables', 'procps', 'util-linux', 'faketime', 'ca-certificates', 'coreutils'];

/** Where apt fetches from, as the host's apt sources say. */
export interface DebianMirrors {
  /** The archive (…/debian), for bookworm and bookworm-updates. */
  main: string;
  /** The security archive (…/debian-security), when the host uses one. */
  security?: string;
}

const DEFAULT_MIRROR = 'http://deb.debian.org/debian';

/** The (uri, suites) pairs of an apt sources file: one-line `deb` format or deb822 `.sources`. */
export function parseSources(text: string): { uri: string; suites: string[] }[] {
  const out: { uri: string; suites: string[] }[] = [];
  const lines = text.split('\n').map((l) => l.replace(/#.*/, '').trim());
  for (const l of lines) {
    const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(l);
    if (m) out.push({ uri: m[1]!, suites: [m[2]!] });
  }
  // deb822: stanzas separated by blank lines, fields Types/URIs/Suites.
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(stanza)?.[1]?.trim();
    const types = field('Types');
    const uris = field('URIs');
    const suites = field('Suites');
    if (!types || !uris || !suites || !types.split(/\s+/).includes('deb')) continue;
    for (const uri of uris.split(/\s+/)) out.push({ uri, suites: suites.split(/\s+/) });
  }
  return out;
}

/** The Debian mirrors from these sources: the first serving bookworm, the first serving bookworm-security. */
export function mirrorsFrom(sources: { uri: string; suites: string[] }[]): DebianMirrors {
  const main = sources.find((s) => s.suites.includes('bookworm'))?.uri ?? DEFAULT_MIRROR;
  const security = sources.find((s) => s.suites.includes('bookworm-security'))?.uri;
  return { main: main.replace(/\/+$/, ''), ...(security ? { security: security.replace(/\/+$/, '') } : {}) };
}

/** The mirrors this machine's apt uses (/etc/apt/sources.list and sources.list.d), deb.debian.org when none says bookworm. */
export function hostMirrors(): DebianMirrors {
  const files = ['/etc/apt/sources.list'];
  try {
    for (const f of readdirSync('/etc/apt/sources.list.d').sort()) {
      if (f.endsWith('.list') || f.endsWith('.sources')) files.push(join('/etc/apt/sources.list.d', f));
    }
  } catch {
    /* no sources.list.d */
  }
  const sources = files.flatMap((f) => {
    try {
      return parseSources(readFileSync(f, 'utf8'));
    } catch {
      return [];
    }
  });
  return mirrorsFrom(sources);
}

/** The image's sources.list: the host's mirrors, for bookworm, its updates and its security fixes. */
export function sourcesList(m: DebianMirrors): string {
  return [`deb ${m.main} bookworm main`, `deb ${m.main} bookworm-updates main`, ...(m.security ? [`deb ${m.security} bookworm-security main`] : []), ''].join(
    '\n',
  );
}

/**
 * One apt-get install in a Dockerfile RUN: no service starts (policy-rc.d exits 101 for the install
 * only: there is no init in a build container, and the adapters start their own foreground servers),
 * no recommends, and no package lists left in the layer.
 */
function aptInstall(pkgs: string[]): string {
  return [
    `printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d`,
    'chmod 0755 /usr/sbin/policy-rc.d',
    'apt-get update',
    `DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${pkgs.join(' ')}`,
    'rm -f /usr/sbin/policy-rc.d',
    'apt-get clean',
    'rm -rf /var/lib/apt/lists/*',
  ].join(' \\\n && ');
}

/** The jars dir inside the cassandra image: the adapter's default home (cassandraHomes() without FAULTLINE_CASSANDRA_HOME). */
export const CASSANDRA_IMAGE_HOME = `/var/cache/faultline/cassandra-${CASSANDRA_VERSION}`;

/**
 * Each database image's Dockerfile. Every one ends with a check of what its adapter looks for (binaries
 * at their Debian paths, the service user), so a package that changed its layout fails the build, not a run.
 */
export function dockerfile(key: DatabaseImage): string {
  const from = `FROM ${imageRef(BASE_KEY)}`;
  const label = `LABEL ${IMAGE_LABEL}=${key}`;
  switch (key) {
    case 'postgres':
      // Only the server binaries matter (faultline runs initdb and postgres itself, as the postgres user):
      // Debian's own main cluster is never created.
      return [
        from,
        'RUN mkdir -p /etc/postgresql-common/createcluster.d \\\n' +
          " && printf 'create_main_cluster = false\\n' > /etc/postgresql-common/createcluster.d/faultline.conf \\\n && " +
          aptInstall(['postgresql']) +
          ' \\\n && test -x /usr/lib/postgresql/15/bin/postgres && test -x /usr/lib/postgresql/15/bin/initdb' +
          ' && test -x /usr/lib/postgresql/15/bin/pg_basebackup && id postgres && test ! -e /var/lib/postgresql/15/main',
        label,
      ].join('\n');
    case 'mysql':
      return [from, `RUN ${aptInstall(['mariadb-server'])} \\\n && test -x /usr/sbin/mariadbd && test -x /usr/bin/mariadb-install-db && id mysql`, label].join(
        '\n',
      );
    case 'redis':
      return [
        from,
        `RUN ${aptInstall(['redis-server', 'redis-sentinel'])} \\\n && test -x /usr/bin/redis-server && test -x /usr/bin/redis-sentinel && id redis`,
        label,
      ].join('\n');
    case 'cassandra':
      // Java 17 (its jdk.compiler module compiles the skew clock: no JDK), the cassandra user exactly as
      // scripts/setup.sh creates it, and the host's cassandra-all jars at the adapter's default home.
      return [
        from,
        'RUN mkdir -p /usr/share/man/man1 \\\n && ' +
          aptInstall(['openjdk-17-jre-headless']) +
          ` \\\n && useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ${CASSANDRA_USER}` +
          ' \\\n && java=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)/bin/java && test -x $java' +
          ' && $java -XX:-UsePerfData --list-modules | grep -q ^jdk.compiler@',
        `COPY lib ${CASSANDRA_IMAGE_HOME}/lib`,
        `RUN test -f ${CASSANDRA_IMAGE_HOME}/lib/cassandra-all-${CASSANDRA_VERSION}.jar && id ${CASSANDRA_USER}`,
        label,
      ].join('\n');
    case 'etcd':
      return [from, `RUN ${aptInstall(['etcd-server', 'etcd-client'])} \\\n && test -x /usr/bin/etcd && test -x /usr/bin/etcdctl && id etcd`, label].join('\n');
  }
}

/** The host's cassandra-all jars (where scripts/setup.sh put them), or undefined. */
export function hostCassandraLib(): string | undefined {
  for (const home of cassandraHomes()) {
    const lib = join(home, 'lib');
    if (existsSync(join(lib, `cassandra-all-${CASSANDRA_VERSION}.jar`))) return lib;
  }
  return undefined;
}

export interface BuildOptions {
  /** Build even when the image exists, without the build cache; the base too when every database is asked for. */
  rebuild?: boolean;
  /** One line per step and its time ("building faultline/redis:bookworm... 41 s"). */
  progress?: (line: string) => void;
  /** Every line of debootstrap's and the builds' output. */
  output?: (line: string) => void;
  /** Defaults to this machine's apt mirrors. */
  mirrors?: DebianMirrors;
  /** Aborts a build in progress (Ctrl-C): debootstrap is killed, the engine's build cancelled, temp dirs removed. */
  signal?: AbortSignal;
}

export interface BuiltImage {
  key: string;
  ref: string;
  /** False when the image existed and was kept. */
  built: boolean;
  seconds: number;
}

/** The image's id, or undefined when the engine has no image by that name. */
export async function imageId(docker: Docker, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
}

/** The last lines of some output, for an error message. */
class Tail {
  private lines: string[] = [];
  constructor(
    private readonly max: number,
    private readonly sink?: (line: string) => void,
  ) {}
  push(text: string): void {
    for (const l of text.split(/\r?\n/)) {
      if (!l.trim()) continue;
      this.lines.push(l);
      if (this.lines.length > this.max) this.lines.shift();
      this.sink?.(l);
    }
  }
  toString(): string {
    return this.lines.map((l) => `  ${l}`).join('\n');
  }
}

/**
 * Runs argv (no shell) in its own process group; its output goes to `tail`. Rejects with the last lines
 * when it fails. An abort kills the whole group (debootstrap's dpkg and wget too), and the promise settles
 * only once they are gone, so the caller can remove the dir they were writing to.
 */
function run(argv: string[], tail: Tail, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    signal?.addEventListener('abort', kill, { once: true });
    child.stdout.on('data', (b: Buffer) => tail.push(b.toString()));
    child.stderr.on('data', (b: Buffer) => tail.push(b.toString()));
    child.on('error', reject);
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', kill);
      if (code === 0) resolve();
      else if (signal?.aborted) reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      else reject(new Error(`${argv[0]} exited with ${code ?? sig}; its last lines:\n${tail.toString()}`));
    });
  });
}

/** `tar -c` of these (-C dir, entry) pairs as a stream; the promise settles when tar exits. */
function tarStream(args: string[]): { stream: Readable; done: Promise<void>; stop(): void } {
  const child = spawn('tar', ['--numeric-owner', '-c', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar exited with ${code}: ${err.trim()}`))));
  });
  done.catch(() => {}); // awaited by the caller; a tar stopped after a failed build is no second error
  // The engine may stop reading (a failed build): tar would then block on a full pipe forever.
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  };
  return { stream: child.stdout, done, stop };
}

/**
 * Reads an engine progress stream (one JSON object a line) to its end: `stream` text to the tail, and
 * an errorDetail (a failed RUN, a bad Dockerfile) becomes a thrown Error with the last lines.
 */
async function follow(res: NodeJS.ReadableStream, what: string, tail: Tail): Promise<void> {
  let buf = '';
  let failure: string | undefined;
  const onLine = (line: string) => {
    if (!line.trim()) return;
    let ev: { stream?: string; status?: string; error?: string; errorDetail?: { message?: string } };
    try {
      ev = JSON.parse(line) as typeof ev;
    } catch {
      tail.push(line);
      return;
    }
    if (ev.stream) tail.push(ev.stream);
    else if (ev.status) tail.push(ev.status);
    if (ev.errorDetail || ev.error) failure = ev.errorDetail?.message ?? ev.error;
  };
  await new Promise<void>((resolve, reject) => {
    res.on('data', (b: Buffer) => {
      buf += b.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      lines.forEach(onLine);
    });
    res.on('end', () => {
      onLine(buf);
      resolve();
    });
    res.on('error', reject);
  });
  if (failure !== undefined) throw new Error(`${what} failed: ${failure.trim()}\n${tail.toString()}`);
}

/**
 * Removes a temp dir we made. Mounts under it (debootstrap mounts /proc, and may bind /dev, and an
 * interrupted one leaves them) are unmounted first, and rm never crosses into another file system.
 */
async function removeTree(dir: string): Promise<void> {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((p): p is string => !!p && p.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) await run(['umount', '-l', m], new Tail(5)).catch(() => {});
  await run(['rm', '-rf', '--one-file-system', dir], new Tail(5));
}

const seconds = (t0: number) => Math.round((Date.now() - t0) / 1000);

/** The base image: debootstrap minbase with the base packages, apt pointed at the host's mirrors, imported into the engine. */
async function buildBase(docker: Docker, mirrors: DebianMirrors, opts: BuildOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-rootfs-'));
  const root = join(dir, 'root');
  try {
    let t0 = Date.now();
    const tail = new Tail(20, opts.output);
    opts.progress?.(`debootstrap (minbase, bookworm) from ${mirrors.main}...`);
    await run(
      ['debootstrap', '--variant=minbase', `--include=${BASE_PACKAGES.join(',')}`, '--components=main', 'bookworm', root, mirrors.main],
      tail,
      opts.signal,
    );
    opts.progress?.(`debootstrap done, ${seconds(t0)} s`);
    // apt inside the image uses the host's mirrors; no recommends, no docs or man pages in the layers.
    writeFileSync(join(root, 'etc/apt/sources.list'), sourcesList(mirrors));
    writeFileSync(join(root, 'etc/apt/apt.conf.d/90faultline'), 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n');
    mkdirSync(join(root, 'etc/dpkg/dpkg.cfg.d'), { recursive: true });
    writeFileSync(
      join(root, 'etc/dpkg/dpkg.cfg.d/90faultline-nodoc'),
      'path-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\n',
    );
    await run(['rm', '-rf', '--one-file-system', join(root, 'var/cache/apt/archives'), join(root, 'var/lib/apt/lists')], new Tail(5));
    mkdirSync(join(root, 'var/cache/apt/archives/partial'), { recursive: true });
    mkdirSync(join(root, 'var/lib/apt/lists/partial'), { recursive: true });

    t0 = Date.now();
    opts.progress?.(`importing the rootfs as ${imageRef(BASE_KEY)}...`);
    const tar = tarStream(['-C', root, '.']);
    try {
      const res = (await docker.importImage(tar.stream, {
        repo: `faultline/${BASE_KEY}`,
        tag: IMAGE_TAG,
        changes: [`LABEL ${IMAGE_LABEL}=${BASE_KEY}`, 'CMD ["/bin/bash"]'],
        ...(opts.signal ? { abortSignal: opts.signal } : {}),
      } as object)) as NodeJS.ReadableStream;
      await Promise.all([follow(res, `importing ${imageRef(BASE_KEY)}`, new Tail(20, opts.output)), tar.done]);
    } finally {
      tar.stop();
    }
    opts.progress?.(`import done, ${seconds(t0)} s`);
  } finally {
    await removeTree(dir);
  }
}

/**
 * Builds `ref` from a Dockerfile's text sent as a tar context, with `extra` tar arguments adding files
 * to it (-C dir entry...). Build output goes to opts.output; a failed step throws with its last lines.
 */
export async function buildDockerfile(docker: Docker, ref: string, text: string, extra: string[] = [], opts: BuildOptions = {}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-build-'));
  try {
    writeFileSync(join(dir, 'Dockerfile'), text + '\n');
    const tar = tarStream(['--owner=0', '--group=0', '-C', dir, 'Dockerfile', ...extra]);
    try {
      const res = await docker.buildImage(tar.stream, {
        t: ref,
        rm: true,
        forcerm: true,
        ...(opts.rebuild ? { nocache: true } : {}),
        ...(opts.signal ? { abortSignal: opts.signal } : {}),
      });
      await Promise.all([follow(res, `building ${ref}`, new Tail(25, opts.output)), tar.done]);
    } finally {
      tar.stop();
    }
  } finally {
    await removeTree(dir);
  }
}

/** One database image FROM the base (the cassandra one with the host's jars in its context). */
async function buildDatabase(docker: Docker, key: DatabaseImage, opts: BuildOptions): Promise<void> {
  const extra: string[] = [];
  if (key === 'cassandra') {
    const lib = hostCassandraLib();
    if (!lib)
      throw new Error(
        `the cassandra image needs cassandra-all ${CASSANDRA_VERSION}'s jars on this machine (${cassandraHomes()
          .map((h) => join(h, 'lib'))
          .join(' or ')}): run scripts/setup.sh cassandra first`,
      );
    extra.push('--mode=a+rX', '-C', join(lib, '..'), 'lib');
  }
  await buildDockerfile(docker, imageRef(key), dockerfile(key), extra, opts);
}

/**
 * Builds the base and these databases' images, skipping each that exists unless `rebuild` (which redoes
 * the base only when every database is asked for: the others stay on the base they were built on).
 * Images a rebuild replaced are removed at the end when nothing uses them. Returns each image with its time.
 */
export async function buildImages(docker: Docker, keys: readonly DatabaseImage[], opts: BuildOptions = {}): Promise<BuiltImage[]> {
  for (const k of keys) if (!(DATABASE_IMAGES as readonly string[]).includes(k)) throw new Error(`no image for '${k}'`);
  const mirrors = opts.mirrors ?? hostMirrors();
  const results: BuiltImage[] = [];
  const replaced: string[] = [];
  // A rebuild of some databases keeps the base the others were built on; a rebuild of all redoes it too.
  const rebuildBase = !!opts.rebuild && DATABASE_IMAGES.every((k) => keys.includes(k));
  for (const key of [BASE_KEY, ...keys]) {
    opts.signal?.throwIfAborted();
    const ref = imageRef(key);
    const t0 = Date.now();
    const old = await imageId(docker, ref);
    if (old && !(key === BASE_KEY ? rebuildBase : opts.rebuild)) {
      results.push({ key, ref, built: false, seconds: 0 });
      opts.progress?.(`${ref} exists`);
      continue;
    }
    opts.progress?.(`building ${ref}...`);
    if (key === BASE_KEY) await buildBase(docker, mirrors, opts);
    else await buildDatabase(docker, key as DatabaseImage, opts);
    const s = seconds(t0);
    results.push({ key, ref, built: true, seconds: s });
    opts.progress?.(`built ${ref}, ${s} s`);
    if (old && old !== (await imageId(docker, ref))) replaced.push(old);
  }
  // Newest first: a replaced database image goes before the replaced base it was built on.
  for (const id of replaced.reverse())
    await docker
      .getImage(id)
      .remove()
      .catch(() => {});
  return results;
}

/** Our images on the engine (labelled faultline.image), with their size. */
export async function listImages(docker: Docker): Promise<{ ref: string; key: string; size: number; created: Date }[]> {
  const images = await docker.listImages({ filters: { label: [IMAGE_LABEL] } });
  return images
    .flatMap((i) =>
      (i.RepoTags ?? [])
        .filter((t) => t.startsWith('faultline/'))
        .map((ref) => ({ ref, key: i.Labels?.[IMAGE_LABEL] ?? '?', size: i.Size, created: new Date(i.Created * 1000) })),
    )
    .sort((a, b) => a.ref.localeCompare(b.ref));
}
