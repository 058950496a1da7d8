// Browser code (see dom.ts): the header: overall verdict, per-checker verdicts, run facts, the command.
import type { PageApi, PageData } from './api.js';
declare const FL: PageApi;

export function header(root: HTMLElement, d: PageData): void {
  root.appendChild(FL.el('h1', d.title));
  root.appendChild(FL.el('p', d.summary.words, `verdict verdict-${d.summary.valid}`));
  const ul = FL.el('ul', null, 'verdicts');
  for (const v of d.verdicts) {
    const li = FL.el('li', null, `verdict-${v.valid}`);
    li.appendChild(FL.el('b', `${v.name}: `));
    li.appendChild(document.createTextNode(v.words));
    ul.appendChild(li);
  }
  root.appendChild(ul);
  const dl = FL.el('dl', null, 'facts');
  for (const [k, v] of d.facts) {
    dl.appendChild(FL.el('dt', k));
    dl.appendChild(FL.el('dd', v));
  }
  root.appendChild(dl);
  root.appendChild(FL.el('p', 'Reproduce (same seed, same fault schedule):'));
  root.appendChild(FL.el('pre', d.command, 'command'));
}
