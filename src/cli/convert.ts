import { Command } from 'commander';
import { convertHistory } from '../history/convert.js';
import { EXIT } from '../errors.js';
import { termSafe } from '../terminal.js';

export function convertCommand(): Command {
  return new Command('convert')
    .description('convert a Jepsen history (EDN or JSON) into faultline JSONL, linting it on the way')
    .argument('<input>', 'history to read (EDN, JSON or JSONL)')
    .argument('<output>', 'JSONL file to write')
    .action(async (input: string, output: string) => {
      const r = await convertHistory(input, output);
      for (const w of r.warnings) console.error(termSafe(`faultline: warning: ${w.file}:${w.line}: ${w.message}`));
      console.log(termSafe(`${output}: ${r.ops.toLocaleString('en-US')} ops written`));
      process.exitCode = EXIT.valid;
    });
}
