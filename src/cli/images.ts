import { Command } from 'commander';
import { RunFailure, UsageError } from '../errors.js';
import { termSafe } from '../terminal.js';

const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;

/** The engine, or a one-line usage error (exit 64) when none answers at DOCKER_HOST or /var/run/docker.sock. */
async function engine() {
  const { dockerClient, requireEngine, EngineUnavailable } = await import('../runtime/docker/engine.js');
  const docker = dockerClient();
  try {
    await requireEngine(docker);
  } catch (e) {
    if (e instanceof EngineUnavailable) throw new UsageError(e.message);
    throw e;
  }
  return docker;
}

/** `faultline images build|list`: the docker runtime's images, built locally (no registry needed). */
export function imagesCommand(): Command {
  const images = new Command('images').description(
    "the docker runtime's images (faultline/<db>:bookworm), built locally from Debian packages: no registry needed",
  );

  // `faultline images` alone is a usage error, as `faultline` alone is: a script that forgot the verb must notice.
  images.action(() => {
    throw new UsageError('images needs a command: build or list (faultline images --help)');
  });

  images
    .command('build')
    .description('build the base image (debootstrap minbase, imported into Docker) and one image per database on it; images that exist are kept')
    .option('--db <names>', 'only these databases (comma-separated: postgres, mysql, redis, cassandra, etcd); default all')
    .option('--rebuild', 'build again even when an image exists, without the build cache (the base too when no --db limits the databases)')
    .option('--verbose', "print debootstrap's and the builds' output too")
    .addHelpText(
      'after',
      [
        '',
        'Needs a Docker engine (DOCKER_HOST, else /var/run/docker.sock), debootstrap and apt access to the',
        "machine's Debian mirror; the cassandra image takes the jars scripts/setup.sh cassandra fetched.",
        'Exit codes: 0 every image present, 64 no engine answers or a bad option, 70 a build failed.',
      ].join('\n'),
    )
    .action(async (flags: { db?: string; rebuild?: boolean; verbose?: boolean }) => {
      const { DATABASE_IMAGES, buildImages } = await import('../runtime/docker/build.js');
      let keys: (typeof DATABASE_IMAGES)[number][] = [...DATABASE_IMAGES];
      if (flags.db !== undefined) {
        const names = flags.db
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (names.length === 0) throw new UsageError('--db expects database names, e.g. --db postgres,redis');
        for (const n of names)
          if (!(DATABASE_IMAGES as readonly string[]).includes(n)) throw new UsageError(`no image for '${n}'; images: ${DATABASE_IMAGES.join(', ')}`);
        keys = [...new Set(names)] as typeof keys;
      }
      const docker = await engine();
      const say = (line: string) => console.error(`faultline images: ${termSafe(line)}`);
      // Ctrl-C or SIGTERM stops the build where it is and still removes its temp dirs (a rootfs is ~240 MB).
      const abort = new AbortController();
      const stop = (sig: NodeJS.Signals) => {
        say(`${sig}: stopping the build`);
        abort.abort(new Error(`interrupted (${sig})`));
      };
      process.once('SIGINT', stop).once('SIGTERM', stop);
      try {
        const t0 = Date.now();
        const built = await buildImages(docker, keys, {
          rebuild: flags.rebuild,
          progress: say,
          signal: abort.signal,
          ...(flags.verbose ? { output: (l: string) => console.error(`  ${termSafe(l)}`) } : {}),
        });
        for (const b of built) console.log(`${b.ref} ${b.built ? `built in ${b.seconds} s` : 'present'}`);
        if (built.some((b) => b.built)) say(`done in ${Math.round((Date.now() - t0) / 1000)} s`);
      } catch (e) {
        if (abort.signal.aborted) {
          say('stopped; images built before the interruption are kept');
          process.exitCode = 130;
          return;
        }
        throw new RunFailure(`images: ${(e as Error).message}`);
      } finally {
        process.off('SIGINT', stop).off('SIGTERM', stop);
      }
    });

  images
    .command('list')
    .description("the faultline images the engine has, with their size (docker image ls's size: shared base layers count in each)")
    .action(async () => {
      const { listImages } = await import('../runtime/docker/build.js');
      const docker = await engine();
      const list = await listImages(docker);
      if (list.length === 0) console.error('faultline images: none; `faultline images build` builds them');
      for (const i of list) console.log(`${i.ref.padEnd(32)} ${mb(i.size).padStart(8)}  ${i.created.toISOString().slice(0, 16).replace('T', ' ')}`);
    });

  for (const c of images.commands) {
    c.exitOverride()
      .showHelpAfterError('(run with --help for usage)')
      .configureOutput({ outputError: (s, write) => write(`faultline images ${c.name()}: ${s.replace(/^error: /, '')}`) });
  }
  return images;
}
