import { Command, InvalidArgumentError } from 'commander';
import { serveReports } from '../report/index.js';
import { termSafe } from '../terminal.js';

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return n;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the reports folder on 127.0.0.1 with a filterable index of runs (verdict, database, faults, date)')
    .option('--port <port>', 'port on 127.0.0.1 (0: any free port)', port, 8080)
    .option('--store <dir>', 'the reports folder', 'reports')
    .action(async (flags: { port: number; store: string }) => {
      const { server, url } = await serveReports(flags.store, flags.port);
      console.log(termSafe(`serving ${flags.store} at ${url} (Ctrl-C stops)`));
      await new Promise<void>((done) => {
        const stop = () => {
          server.close(() => done());
          server.closeAllConnections();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
