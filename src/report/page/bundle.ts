import { shadeWindowsPlugin } from '../shade-plugin.js';
import { charts } from './charts.js';
import { cards } from './cards.js';
import { cycle, cycleLayout } from './cycle.js';
import { decode, el, opTable, table } from './dom.js';
import { header } from './header.js';
import { lin } from './lin.js';
import { main } from './main.js';
import { timeline } from './timeline.js';

/**
 * The page's script: each browser function's own source (Function.prototype.toString), hung on one
 * global FL through which they call each other, so the code stays typed TypeScript here and needs no
 * bundler. The functions close over nothing and import nothing at run time.
 */
export function pageScript(): string {
  const fns: Record<string, (...a: never[]) => unknown> = { el, table, opTable, decode, header, cards, cycleLayout, cycle, timeline, lin, charts, main };
  const plugin = `{ id: ${JSON.stringify(shadeWindowsPlugin.id)}, ${shadeWindowsPlugin.beforeDatasetsDraw.toString()} }`;
  return [
    '"use strict";',
    'const FL = {};',
    `const FL_PLUGINS = [${plugin}];`,
    ...Object.entries(fns).map(([k, f]) => `FL.${k} = ${f.toString()};`),
    'FL.main();',
  ].join('\n');
}
