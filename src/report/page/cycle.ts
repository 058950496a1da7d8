// Browser code (see dom.ts): a transactional cycle (G0, G1c, G-single, G2-item...) as a small SVG
// graph, built with DOM calls: T1..Tk clockwise on a circle from the top, one curved arrow per
// dependency labelled with its kind and key, styled per kind (style.ts), then the chain of sentences.
// A click on a node shows that transaction on the timeline.
// Every string from the history goes in through textContent.
import type { CycleCard, CycleLayout, PageApi } from './api.js';
declare const FL: PageApi;

/** Geometry only (pure, so Node tests can check it): node centres, curves bulging outward, label anchors. */
export function cycleLayout(k: number): CycleLayout {
  const r = 20;
  const R = k === 2 ? 70 : Math.min(190, 45 + 12 * k);
  const mx = 130,
    my = 46;
  const width = 2 * (R + mx),
    height = 2 * (R + my);
  const ox = width / 2,
    oy = height / 2;
  const round = (v: number) => Math.round(v * 10) / 10;
  const nodes = Array.from({ length: k }, (_, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / k;
    return { x: round(ox + R * Math.cos(a)), y: round(oy + R * Math.sin(a)) };
  });
  const unit = (x: number, y: number) => {
    const l = Math.hypot(x, y) || 1;
    return { x: x / l, y: y / l };
  };
  const edges = nodes.map((p, i) => {
    const q = nodes[(i + 1) % k]!;
    const len = Math.hypot(q.x - p.x, q.y - p.y);
    // Clockwise order: (dy, -dx) points away from the centre, and for two nodes it puts the two arrows on opposite sides.
    const n = unit(q.y - p.y, p.x - q.x);
    const bulge = (k === 2 ? 0.45 : 0.22) * len;
    const c = { x: (p.x + q.x) / 2 + n.x * bulge, y: (p.y + q.y) / 2 + n.y * bulge };
    const us = unit(c.x - p.x, c.y - p.y),
      ue = unit(c.x - q.x, c.y - q.y);
    const s = { x: p.x + us.x * r, y: p.y + us.y * r };
    const tip = { x: q.x + ue.x * (r + 1), y: q.y + ue.y * (r + 1) };
    const u = unit(tip.x - c.x, tip.y - c.y);
    const base = { x: tip.x - u.x * 10, y: tip.y - u.y * 10 };
    const head = [tip, { x: base.x - u.y * 4.5, y: base.y + u.x * 4.5 }, { x: base.x + u.y * 4.5, y: base.y - u.x * 4.5 }]
      .map((v) => `${round(v.x)},${round(v.y)}`)
      .join(' ');
    const mid = { x: 0.25 * s.x + 0.5 * c.x + 0.25 * tip.x + n.x * 8, y: 0.25 * s.y + 0.5 * c.y + 0.25 * tip.y + n.y * 8 };
    return {
      x1: round(s.x),
      y1: round(s.y),
      cx: round(c.x),
      cy: round(c.y),
      x2: round(base.x),
      y2: round(base.y),
      head,
      lx: round(mid.x),
      ly: round(mid.y + (n.y > 0.3 ? 9 : n.y < -0.3 ? -2 : 4)),
      anchor: n.x > 0.1 ? 'start' : n.x < -0.1 ? 'end' : 'middle',
    };
  });
  return { width, height, r, nodes, edges };
}

export function cycle(c: CycleCard): HTMLElement {
  const MAX_DRAWN = 12;
  const LABEL_CHARS = 22;
  const KIND_WORDS: Record<string, string> = {
    ww: 'ww: write-write, the second overwrote the first',
    wr: 'wr: write-read, the second read what the first wrote',
    rw: 'rw: read-write (anti-dependency), the first read a version the second overwrote',
    process: 'process: the same process ran the second later',
    realtime: 'realtime: the first completed before the second began',
  };
  const NS = 'http://www.w3.org/2000/svg';
  const svgEl = (tag: string, attrs: Record<string, string | number>, text?: string): SVGElement => {
    const e = document.createElementNS(NS, tag);
    for (const [a, v] of Object.entries(attrs)) e.setAttribute(a, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const short = (s: string) => (s.length > LABEL_CHARS ? `${s.slice(0, LABEL_CHARS - 1)}…` : s);
  const k = c.txns.length;
  const names = c.txns.map((t) => t.name);
  const step = (i: number) => `${names[i]} → ${names[(i + 1) % k]}`;
  const edgeWords = (i: number) => {
    const e = c.edges[i]!;
    return `${e.kind}${e.key === null ? '' : `, key ${e.key}`}${e.value === null ? '' : `, value ${e.value}`}`;
  };

  const box = FL.el('div', null, 'cycle');
  if (k <= MAX_DRAWN) {
    const L = FL.cycleLayout(k);
    const svg = svgEl('svg', {
      class: 'cycle-graph',
      viewBox: `0 0 ${L.width} ${L.height}`,
      width: L.width,
      height: L.height,
      role: 'img',
      'aria-label': `a cycle of ${k} transactions: ${[...names, names[0]!].join(' → ')}`,
    });
    c.edges.forEach((e, i) => {
      const g = L.edges[i]!;
      const eg = svgEl('g', { class: `cyc-edge cyc-${e.kind}` });
      eg.appendChild(svgEl('title', {}, `${step(i)} (${edgeWords(i)}): ${e.sentence}`));
      eg.appendChild(svgEl('path', { class: 'cyc-line', d: `M${g.x1},${g.y1} Q${g.cx},${g.cy} ${g.x2},${g.y2}` }));
      eg.appendChild(svgEl('polygon', { class: 'cyc-head', points: g.head }));
      eg.appendChild(svgEl('text', { class: 'cyc-label', x: g.lx, y: g.ly, 'text-anchor': g.anchor }, short(e.key === null ? e.kind : `${e.kind} ${e.key}`)));
      svg.appendChild(eg);
    });
    const ox = L.width / 2,
      oy = L.height / 2;
    c.txns.forEach((t, i) => {
      const p = L.nodes[i]!;
      const ng = svgEl('g', { class: `cyc-node cyc-${t.type}` });
      ng.appendChild(svgEl('title', {}, `${t.name}: ${t.process}, ${t.type}, history index ${t.index}\n${t.mops}`));
      const bar = t.bar;
      if (bar !== null) {
        ng.classList.add('cyc-link');
        ng.addEventListener('click', () => {
          FL.tl?.focus([bar], 'anomaly');
          document.getElementById('timeline')?.scrollIntoView({ block: 'start' });
        });
      }
      ng.appendChild(svgEl('circle', { cx: p.x, cy: p.y, r: L.r }));
      ng.appendChild(svgEl('text', { class: 'cyc-name', x: p.x, y: p.y + 5, 'text-anchor': 'middle' }, short(t.name)));
      // The process, just outside the node, away from the centre (the edge labels sit between nodes).
      const dx = p.x - ox,
        dy = p.y - oy,
        l = Math.hypot(dx, dy) || 1;
      const px = p.x + (dx / l) * (L.r + 8),
        py = p.y + (dy / l) * (L.r + 8) + (dy / l > 0.3 ? 10 : dy / l < -0.3 ? 0 : 4);
      const anchor = dx / l > 0.3 ? 'start' : dx / l < -0.3 ? 'end' : 'middle';
      ng.appendChild(svgEl('text', { class: 'cyc-proc', x: Math.round(px), y: Math.round(py), 'text-anchor': anchor }, short(t.process)));
      svg.appendChild(ng);
    });
    box.appendChild(svg);
    const legend = FL.el('ul', null, 'cyc-legend');
    for (const kind of Object.keys(KIND_WORDS)) {
      if (!c.edges.some((e) => e.kind === kind)) continue;
      const li = FL.el('li', null, `cyc-${kind}`);
      const sample = svgEl('svg', { width: 34, height: 10, 'aria-hidden': 'true' });
      sample.appendChild(svgEl('line', { class: 'cyc-line', x1: 1, y1: 5, x2: 33, y2: 5 }));
      li.appendChild(sample);
      li.appendChild(document.createTextNode(KIND_WORDS[kind]!));
      legend.appendChild(li);
    }
    box.appendChild(legend);
  } else {
    box.appendChild(FL.el('p', `A cycle of ${k} transactions, too long to draw: its steps are listed below.`, 'hint'));
  }
  const ol = FL.el('ol', null, 'chain');
  c.edges.forEach((e, i) => {
    const li = FL.el('li', null, `cyc-${e.kind}`);
    li.appendChild(FL.el('b', `${step(i)} (${edgeWords(i)}): `));
    li.appendChild(document.createTextNode(e.sentence));
    ol.appendChild(li);
  });
  box.appendChild(ol);
  box.appendChild(
    FL.table(
      ['txn', 'process', 'outcome', 'history index', 'micro-ops'],
      c.txns.map((t) => [t.name, t.process, t.type, t.index, t.mops]),
      'ops cyc-txns',
    ),
  );
  return box;
}
