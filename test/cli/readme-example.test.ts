import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cli, root } from './cli.js';

// The README's `check` example is what the tool prints: the command is run as written (through the
// built CLI, not the ./faultline launcher, which may install packages) and its output compared line
// for line, the elapsed milliseconds aside.

beforeAll(buildCli, 180_000);

describe('README check example', () => {
  it('prints exactly what the README shows, with the exit code it shows', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = /```\n\$ \.\/faultline (check [^\n]+)\n([^]*?)\$ echo \$\?\n(\d+)\n```/.exec(readme);
    expect(block, 'the README has a check example ending in `$ echo $?`').not.toBeNull();
    const [, command, output, code] = block!;
    const r = await cli(command!.split(' '));
    const norm = (s: string) => s.replace(/\d+ ms\]/g, 'N ms]');
    expect(norm(r.stdout)).toBe(norm(output!));
    expect(r.code).toBe(Number(code));
  });
});
