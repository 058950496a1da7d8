import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleCard, modelWords } from '../../src/report/cycle.js';
import { buildReport } from '../../src/report/index.js';
import type { PageData } from '../../src/report/page/api.js';
import { cycleLayout } from '../../src/report/page/cycle.js';
import { KEY, VALUE, writeCycleRun } from './cycle-fixture.js';

describe('report: transactional cycles', () => {
  let store: string, html: string, page: PageData;
  beforeAll(async () => {
    store = mkdtempSync(join(tmpdir(), 'faultline-report-cycle-'));
    html = readFileSync((await buildReport(writeCycleRun(store))).html, 'utf8');
    page = JSON.parse(/<script type="application\/json" id="report-data">([^]*?)<\/script>/.exec(html)![1]!) as PageData;
  });
  afterAll(() => rmSync(store, { recursive: true, force: true }));

  it('gives each cycle anomaly its transactions and edges as display text', () => {
    expect(page.anomalies.map((a) => [a.kind, a.cycle?.txns.length, a.cycle?.edges.length])).toEqual([
      ['G2-item', 3, 3],
      ['G1c-realtime', 2, 2],
      ['G0', 13, 13],
    ]);
    const c = page.anomalies[0]!.cycle!;
    expect(c.txns.map((t) => [t.name, t.process, t.type, t.index])).toEqual([
      ['T1', 'process 0', 'ok', 4],
      ['T2', 'process 1', 'ok', 5],
      ['T3', 'process 2', 'ok', 6],
    ]);
    expect(c.edges.map((e) => [e.kind, e.key, e.value])).toEqual([
      ['rw', JSON.stringify(KEY), JSON.stringify(VALUE)],
      ['rw', '"y"', '1'],
      ['ww', '"z"', '2'],
    ]);
    expect(c.edges[0]!.sentence).toBe(`T1 read key "${KEY}" without "${VALUE}"; T2 appended "${VALUE}" to it, so T1 precedes T2 (rw)`);
    expect(c.txns.every((t) => t.bar !== null)).toBe(true); // each on the timeline, for a click on its node
    expect(page.anomalies[2]!.cycle!.txns.filter((t) => t.bar !== null)).toHaveLength(12); // the 13th is never drawn
    expect(c.txns[1]!.mops).toBe(`[append "${KEY}" "${VALUE}"] [r "y" []]`);
  });

  it('keeps the markup and the ampersand inside the inert JSON block', () => {
    expect(html).not.toContain(KEY);
    expect(html).not.toContain(VALUE);
    const data = /<script type="application\/json" id="report-data">([^]*?)<\/script>/.exec(html)![1]!;
    expect(data).not.toMatch(/[<>&]/);
    expect(html.match(/<script/g)).toHaveLength(3);
  });

  it('says which models the checker ruled out, next to its verdict', () => {
    expect(page.verdicts).toEqual([
      {
        name: 'list-append',
        valid: 'invalid',
        words: 'invalid: 3 anomalies found; not read-uncommitted; also not read-committed, repeatable-read, serializable, strict-serializable',
      },
    ]);
    expect(modelWords({ not: ['serializable'], alsoNot: ['strict-serializable'] })).toBe('not serializable; also not strict-serializable');
    expect(modelWords({ alsoNot: ['strict-serializable'] })).toBe('not strict-serializable');
    expect(modelWords({ not: [] })).toBeUndefined();
    expect(modelWords(undefined)).toBeUndefined();
  });

  it('draws nothing for a cycle of the wrong shape (the sentence still says it)', () => {
    const ok = {
      txns: [
        { name: 'T1', index: 1, process: 0, type: 'ok', mops: '' },
        { name: 'T2', index: 2, process: 1, type: 'ok', mops: '' },
      ],
    };
    const edge = { from: 0, to: 1, kind: 'ww', sentence: 's' };
    expect(cycleCard({ cycle: { ...ok, edges: [edge, edge] } })?.edges).toHaveLength(2);
    expect(cycleCard({ cycle: { ...ok, edges: [edge] } })).toBeUndefined();
    expect(cycleCard({ cycle: { ...ok, edges: [edge, { ...edge, kind: 'xx' }] } })).toBeUndefined();
    expect(cycleCard({ cycle: { txns: ok.txns.slice(0, 1), edges: [edge] } })).toBeUndefined();
    expect(cycleCard({ cycle: 'T1 -> T2' })).toBeUndefined();
    expect(cycleCard(undefined)).toBeUndefined();
  });

  it('lays 2 to 12 nodes on a circle, inside the picture, with one arrow per step ending at the next node', () => {
    for (let k = 2; k <= 12; k++) {
      const L = cycleLayout(k);
      expect(L.nodes).toHaveLength(k);
      expect(L.edges).toHaveLength(k);
      const cx = L.width / 2,
        cy = L.height / 2;
      const radii = L.nodes.map((p) => Math.hypot(p.x - cx, p.y - cy));
      for (const r of radii) expect(r).toBeCloseTo(radii[0]!, 0);
      expect(L.nodes[0]!.x).toBeCloseTo(cx, 0); // T1 on top
      expect(L.nodes[0]!.y).toBeLessThan(cy);
      for (const [i, e] of L.edges.entries()) {
        const from = L.nodes[i]!,
          to = L.nodes[(i + 1) % k]!;
        expect(Math.hypot(e.x1 - from.x, e.y1 - from.y)).toBeCloseTo(L.r, 0);
        const tip = e.head.split(' ')[0]!.split(',').map(Number);
        expect(Math.hypot(tip[0]! - to.x, tip[1]! - to.y)).toBeCloseTo(L.r + 1, 0);
        for (const [x, y] of [
          [e.cx, e.cy],
          [e.lx, e.ly],
        ])
          expect(x! > 0 && x! < L.width && y! > 0 && y! < L.height).toBe(true);
      }
      // Neighbours do not overlap.
      const gap = Math.hypot(L.nodes[1]!.x - L.nodes[0]!.x, L.nodes[1]!.y - L.nodes[0]!.y);
      expect(gap).toBeGreaterThan(3 * L.r);
    }
    // Two nodes: the two arrows bulge to opposite sides.
    const two = cycleLayout(2);
    expect(Math.sign(two.edges[0]!.cx - two.width / 2)).toBe(-Math.sign(two.edges[1]!.cx - two.width / 2));
  });
});
