import { Command } from 'commander';
import { UsageError } from '../errors.js';

export function cleanupCommand(): Command {
  return new Command('cleanup')
    .description(
      'remove what a run killed by kill -9 left behind: namespaces, veths, bridges, iptables rules, processes and the data folder in the temp dir, ' +
        'found by run id',
    )
    .option('--run <id>', "only this run's leftovers: the run id `faultline run` printed (also in run.json)")
    .action(async (flags: { run?: string }) => {
      if (process.getuid?.() !== 0) throw new UsageError('cleanup needs root (it removes network namespaces and iptables rules)');
      if (flags.run !== undefined && !/^[\w.-]{1,100}$/.test(flags.run))
        throw new UsageError(`--run expects a run id (letters, digits, '-', '_', '.'), got '${flags.run}'`);
      const { cleanupRuns } = await import('../run/cleanup.js');
      const removed = await cleanupRuns(flags.run ? { runId: flags.run } : {});
      if (removed.length === 0) console.log('nothing to clean up');
      for (const r of removed) console.log(`removed ${r}`);
    });
}
