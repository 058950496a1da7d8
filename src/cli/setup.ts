import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { COMPONENTS, DATABASES, componentsFor, setup, type Component } from '../run/setup.js';

/** `faultline setup`: installs ahead of time what `run` would install on first use (scripts/setup.sh). */
export function setupCommand(): Command {
  return new Command('setup')
    .description('install what faultline needs ahead of time (system packages need root); with no option, everything `npm test` needs')
    .option(
      '--db <names>',
      `only what \`run --db\` needs for these databases (comma-separated: ${DATABASES.join(', ')}): the local runtime's tools, each database, ` +
        `and the report's canvas headers when canvas is missing`,
    )
    .option('--report', "the cairo/pango headers the report's PNG charts need, and canvas rebuilt against them")
    .option('--dry-run', 'print the components and what would be installed, and change nothing')
    .addHelpText(
      'after',
      [
        '',
        `Components: scripts/setup.sh ${COMPONENTS.join(' | ')} | all.`,
        'check, convert, analyze, report, serve and cleanup install nothing;',
        '`run --db X` installs what X needs on first use (as root).',
        'Exit codes: 0 everything present, 64 something missing that this user',
        'cannot install (the lines above say what), 70 an install failed.',
      ].join('\n'),
    )
    .action(async (flags: { db?: string; report?: boolean; dryRun?: boolean }) => {
      const dbs =
        flags.db === undefined
          ? []
          : flags.db
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean);
      if (flags.db !== undefined && dbs.length === 0) throw new UsageError('--db expects database names, e.g. --db postgres,redis');
      const components: Component[] =
        flags.db === undefined && !flags.report
          ? [...COMPONENTS]
          : [...(dbs.length ? await componentsFor(dbs) : []), ...(flags.report ? ['report' as const] : [])];
      await setup([...new Set(components)], { dryRun: flags.dryRun });
      if (!flags.dryRun) console.error(`faultline setup: ready (${[...new Set(components)].join(', ')})`);
    });
}
