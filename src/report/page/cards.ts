// Browser code (see dom.ts): one card per anomaly, its sentence, its cycle drawn when it has one (cycle.ts),
// its witness ops, a link to the timeline.
import type { PageApi, PageData } from './api.js';
declare const FL: PageApi;

export function cards(root: HTMLElement, d: PageData): void {
  root.appendChild(FL.el('h2', d.anomalies.length === 0 ? 'No anomalies' : `Anomalies (${d.anomalies.length + d.moreAnomalies})`));
  d.anomalies.forEach((a, i) => {
    const card = FL.el('section', null, 'card');
    card.id = `anomaly-${i}`;
    card.appendChild(FL.el('h3', `${a.checker}: ${a.kind}`));
    card.appendChild(FL.el('p', a.explanation, 'sentence'));
    if (a.cycle) card.appendChild(FL.cycle(a.cycle));
    card.appendChild(FL.opTable(a.rows));
    if (a.bars.length > 0) {
      const link = FL.el('a', 'Show these ops on the timeline', 'show') as HTMLAnchorElement;
      link.href = '#timeline';
      link.addEventListener('click', (ev) => {
        ev.preventDefault();
        FL.tl?.focus(a.bars, 'anomaly');
        document.getElementById('timeline')?.scrollIntoView({ block: 'start' });
      });
      card.appendChild(link);
    }
    root.appendChild(card);
  });
  if (d.moreAnomalies > 0)
    root.appendChild(FL.el('p', `${d.moreAnomalies} more anomalies are in results.json (the report shows the first ${d.anomalies.length}).`));
}
