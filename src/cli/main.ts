#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { EXIT, InputError, RunFailure, UsageError } from '../errors.js';
import { termSafe } from '../terminal.js';
import { fsReason } from '../fs-words.js';
import { HistoryError } from '../history/errors.js';
const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };

/**
 * Each command's module, loaded only when it runs: `faultline check` then loads the checkers and not
 * the run engine, the database drivers, dockerode or the report code (about 220 modules against 84;
 * a third of a small check's wall time was module loading). Help and unknown commands load them all.
 */
const COMMANDS: [string, () => Promise<Command>][] = [
  ['check', async () => (await import('./check.js')).checkCommand()],
  ['convert', async () => (await import('./convert.js')).convertCommand()],
  ['run', async () => (await import('./run.js')).runCommand()],
  ['suite', async () => (await import('./suite.js')).suiteCommand()],
  ['analyze', async () => (await import('./analyze.js')).analyzeCommand()],
  ['cleanup', async () => (await import('./cleanup.js')).cleanupCommand()],
  ['doctor', async () => (await import('./doctor.js')).doctorCommand()],
  ['report', async () => (await import('./report.js')).reportCommand()],
  ['serve', async () => (await import('./serve.js')).serveCommand()],
  ['setup', async () => (await import('./setup.js')).setupCommand()],
  ['images', async () => (await import('./images.js')).imagesCommand()],
];

async function program(first: string | undefined): Promise<Command> {
  const p = new Command('faultline')
    .description(
      'Jepsen-style chaos and consistency checker: run workloads and faults against real clusters, ' +
        'check histories for linearizability and replication anomalies',
    )
    .version(pkg.version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(`faultline: ${s.replace(/^error: /, '')}`) });
  const named = COMMANDS.filter(([name]) => name === first);
  for (const [, load] of named.length > 0 ? named : COMMANDS) {
    const c = await load();
    c.exitOverride()
      .showHelpAfterError('(run with --help for usage)')
      .configureOutput({ outputError: (s, write) => write(`faultline ${c.name()}: ${s.replace(/^error: /, '')}`) });
    p.addCommand(c);
  }
  return p;
}

/** Runs the CLI; returns the exit code. Never lets a stack trace reach the user for bad input. */
export async function main(argv: string[]): Promise<number> {
  try {
    const p = await program(argv[0]);
    if (argv.length === 0) {
      // No command is a usage error, not success: a script that forgot its arguments must notice.
      p.outputHelp({ error: true });
      return EXIT.usage;
    }
    await p.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.valid;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.valid;
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      console.error(`faultline: ${termSafe(e.message)}`);
      return EXIT.usage;
    }
    if (e instanceof RunFailure) {
      console.error(`faultline: ${e.message}`);
      return EXIT.internal;
    }
    if (e instanceof HistoryError || e instanceof InputError) {
      console.error(`faultline: ${termSafe(String(e))}`);
      return EXIT.unreadable;
    }
    const sys = e as NodeJS.ErrnoException;
    if (sys instanceof Error && typeof sys.code === 'string' && typeof sys.path === 'string') {
      // A file faultline could not read or write (a read-only run dir, a full disk): the file and plain words.
      const reading = ['open', 'read', 'stat', 'lstat', 'scandir', 'realpath', 'access'].includes(sys.syscall ?? '');
      console.error(`faultline: ${termSafe((sys as { dest?: string }).dest ?? sys.path)}: cannot ${reading ? 'read' : 'write'}: ${fsReason(sys)}`);
      return reading ? EXIT.unreadable : EXIT.internal;
    }
    console.error(`faultline: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return EXIT.internal;
  }
}

/**
 * A command has done all its work when main resolves (serve resolves only when it stops): exit then,
 * once stdout and stderr have drained. A library's stray timer must not keep a finished command alive:
 * cassandra-driver 4.x, after kill faults, could leave referenced host timers that no shutdown reached,
 * and `faultline run` then hung after "stored in" (in CI, a hung job). Teardown still ends every client
 * it knows of; this is the backstop.
 */
// The reader of our output may go away (`faultline run | head`, a CI log collector that died): writes
// then fail with EPIPE, and an unhandled stream error would crash a run mid-way and leave its cluster
// behind (the soak saw it: its parent killed, the run died at its next progress line, three JVMs left).
// The work goes on without output; the exit code still carries the verdict.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
