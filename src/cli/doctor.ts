import { Command } from 'commander';
import { adapterByName, adapterNames } from '../adapters/index.js';
import { runtimeNames, runtimes } from '../runtime/index.js';

/** One line per runtime and per database on it: what works on this machine and, when not, what is missing. */
export async function doctorReport(): Promise<{ lines: string[]; usable: string[] }> {
  const lines: string[] = [];
  const usable: string[] = [];
  for (const name of runtimeNames) {
    const runtime = runtimes[name]!;
    const why = await runtime.unavailable();
    if (why) {
      lines.push(`${name}: cannot run here: ${why}`);
      continue;
    }
    lines.push(`${name}: works (faults: ${[...runtime.capabilities].join(', ')})`);
    for (const db of adapterNames) {
      const adapter = await adapterByName(db);
      let missing: string | undefined;
      try {
        missing = (await runtime.unavailable(adapter.name)) ?? (await adapter.unavailable(runtime.probe(adapter.name)));
      } catch (e) {
        missing = (e as Error).message;
      }
      lines.push(`  ${db.padEnd(10)} ${missing ? `missing: ${missing}` : 'ready'}`);
      if (!missing) usable.push(`${name}/${db}`);
    }
  }
  return { lines, usable };
}

/** `faultline doctor`: what each runtime can do on this machine, and what to install for the rest. */
export function doctorCommand(): Command {
  return new Command('doctor')
    .description('print, per runtime (local, docker) and database, what works on this machine and what is missing')
    .addHelpText('after', '\nExit codes: 0 at least one database runs on some runtime, 64 none does (the lines say what to install).')
    .action(async () => {
      const { lines, usable } = await doctorReport();
      for (const l of lines) console.log(l);
      console.log(
        usable.length ? `ready: ${usable.join(', ')}` : 'nothing can run here yet: install what one runtime needs (lines above), e.g. as root `npm run setup`',
      );
      process.exitCode = usable.length ? 0 : 64;
    });
}
