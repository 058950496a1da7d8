import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatOpLine, type Op } from '../../src/history/index.js';
import { buildReport } from '../../src/report/index.js';
import { analyzeRun } from '../../src/run/checks.js';

// A stored append run whose elements are 2^53 and 2^53+1 (and a key with markup): results.json and
// the report must carry the exact digits, and the markup only escaped.
describe('report and results.json keep big integers exact', () => {
  const store = mkdtempSync(join(tmpdir(), 'faultline-exact-report-'));
  afterAll(() => rmSync(store, { recursive: true, force: true }));

  it('analyze writes bare exact numbers; the report shows them', async () => {
    const dir = join(store, 'big', '20260101T000000Z');
    mkdirSync(dir, { recursive: true });
    const k = '<b>k</b>';
    const rows: [number, Op['type'], string, unknown, string?][] = [
      [0, 'invoke', 'append', [k, 9007199254740992n]],
      [0, 'ok', 'append', [k, 9007199254740992n]],
      [0, 'invoke', 'append', [k, 9007199254740993n]],
      [0, 'ok', 'append', [k, 9007199254740993n]],
      [1, 'invoke', 'read', [k, null]],
      [1, 'ok', 'read', [k, [9007199254740992n]], 'n1'],
    ];
    const ops = rows.map(([process, type, f, value, node], index): Op => ({ index, time: index * 1e6, type, process, f, value, ...(node ? { node } : {}) }));
    writeFileSync(join(dir, 'history.jsonl'), ops.map(formatOpLine).join(''));
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ runId: 'big', spec: { db: 'postgres', workload: 'append', nemesis: 'none' } }));
    const r = await analyzeRun(dir);
    expect(r.valid).toBe(false);
    const results = readFileSync(join(dir, 'results.json'), 'utf8');
    expect(results).toMatch(/"elements": \[\s*9007199254740993\s*\]/);
    expect(results).toContain('appended 9007199254740993 to key \\"<b>k</b>\\"');
    const built = await buildReport(dir);
    const html = readFileSync(built.html, 'utf8');
    expect(html).not.toContain('<b>k</b>');
    const data = /<script type="application\/json" id="report-data">([^]*?)<\/script>/.exec(html)![1]!;
    const page = JSON.parse(data) as { anomalies: { explanation: string; rows: { value: string }[] }[] };
    const lost = page.anomalies.find((a) => a.explanation.includes('lacks it'))!;
    expect(lost.explanation).toContain('appended 9007199254740993 to key "<b>k</b>"');
    expect(lost.rows.map((x) => x.value)).toEqual(['["<b>k</b>",9007199254740993]', '["<b>k</b>",[9007199254740992]]']);
  });
});
