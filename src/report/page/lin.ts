// Browser code (see dom.ts): the linearizability witness, Porcupine-style: the longest linearizable
// prefix found (in linearization order), the op that cannot follow it, and the states the model could be in.
import type { PageApi, PageData } from './api.js';
declare const FL: PageApi;

export function lin(root: HTMLElement, d: PageData): void {
  for (const w of d.lin) {
    const sec = FL.el('section', null, 'card lin');
    sec.appendChild(FL.el('h3', `${w.checker}: witness${w.key ? ` on key ${w.key}` : ''}`));
    const shown = w.rows.length - 1;
    sec.appendChild(
      FL.el(
        'p',
        `The longest linearizable order found has ${w.prefixLength} op${w.prefixLength === 1 ? '' : 's'}` +
          `${shown < w.prefixLength ? ` (the last ${shown} shown, in linearization order)` : ''}; the last row cannot follow it.`,
      ),
    );
    sec.appendChild(FL.el('p', 'After that order the model could only be in these states:'));
    const ul = FL.el('ul', null, 'states');
    for (const s of w.states) ul.appendChild(FL.el('li', s));
    sec.appendChild(ul);
    sec.appendChild(FL.opTable(w.rows, true));
    const bars = w.prefixBars.slice();
    if (w.opBar !== null) bars.push(w.opBar);
    const link = FL.el('a', 'Show the prefix (blue, numbered) and the breaking op (red outline) on the timeline', 'show') as HTMLAnchorElement;
    link.href = '#timeline';
    link.addEventListener('click', (ev) => {
      ev.preventDefault();
      FL.tl?.focus(bars, 'lin', true);
      document.getElementById('timeline')?.scrollIntoView({ block: 'start' });
    });
    sec.appendChild(link);
    root.appendChild(sec);
  }
}
