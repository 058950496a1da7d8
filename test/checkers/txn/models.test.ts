import { describe, expect, it } from 'vitest';
import {
  anomaliesProhibitedBy,
  KNOWN_ANOMALIES,
  KNOWN_MODELS,
  modelsRuledOutBy,
  prohibitedAnomalies,
  validateTxnOptions,
} from '../../../src/checkers/txn/models.js';

const sorted = (s: Iterable<string>) => [...s].sort();

describe('consistency models (Elle consistency_model_test expectations)', () => {
  it('read committed prohibits the G1 family, G0 and the version-order anomalies', () => {
    expect(sorted(anomaliesProhibitedBy(['read-committed']))).toEqual(
      sorted([
        'dirty-update',
        'G1a',
        'G1b',
        'G1c',
        'G1',
        'G0',
        'cyclic-versions',
        'duplicate-elements',
        'garbage-read',
        'incompatible-order',
        'future-read',
        'PL-1-cycle-exists',
        'PL-2-cycle-exists',
      ]),
    );
  });

  it('G-single rules out consistent-view and everything above it', () => {
    expect(modelsRuledOutBy(['G-single'])).toEqual({
      not: ['consistent-view'],
      alsoNot: sorted([
        'forward-consistent-view',
        'serializable',
        'snapshot-isolation',
        'strong-serializable',
        'strong-session-serializable',
        'strong-session-snapshot-isolation',
        'strong-snapshot-isolation',
        'update-serializable',
      ]),
    });
  });

  it('internal rules out read-atomic and the models above it', () => {
    expect(modelsRuledOutBy(['internal'])).toEqual({
      not: ['read-atomic'],
      alsoNot: sorted([
        'causal-cerone',
        'parallel-snapshot-isolation',
        'prefix',
        'serializable',
        'snapshot-isolation',
        'strong-serializable',
        'strong-session-serializable',
        'strong-session-snapshot-isolation',
        'strong-snapshot-isolation',
        'update-atomic',
      ]),
    });
    expect(modelsRuledOutBy(['G2', 'internal']).not).toEqual(['read-atomic']);
  });

  it('cyclic versions rule out read-uncommitted first', () => {
    const b = modelsRuledOutBy(['cyclic-versions']);
    expect(b.not).toEqual(['read-uncommitted']);
    expect(b.alsoNot).toContain('read-committed');
    expect(b.alsoNot).toContain('strong-snapshot-isolation');
    expect(b.alsoNot).not.toContain('read-uncommitted');
  });

  // Elle's test expects read-atomic in `not` as well; it predates read-atomic -> monotonic-atomic-view
  // -> read-committed in Elle's model graph, under which read-atomic is the stronger of the two.
  it('G1a rules out read-committed, and read-atomic above it', () => {
    const b = modelsRuledOutBy(['G1a']);
    expect(b.not).toEqual(['read-committed']);
    expect(b.alsoNot).toEqual(
      sorted([
        'causal-cerone',
        'consistent-view',
        'cursor-stability',
        'forward-consistent-view',
        'monotonic-atomic-view',
        'monotonic-snapshot-read',
        'monotonic-view',
        'parallel-snapshot-isolation',
        'prefix',
        'read-atomic',
        'repeatable-read',
        'serializable',
        'snapshot-isolation',
        'strong-serializable',
        'strong-read-committed',
        'strong-session-read-committed',
        'strong-session-serializable',
        'strong-session-snapshot-isolation',
        'strong-snapshot-isolation',
        'update-atomic',
        'update-serializable',
      ]),
    );
  });

  it('nothing found rules out nothing', () => {
    expect(modelsRuledOutBy([])).toEqual({ not: [], alsoNot: [] });
  });

  it('maps each cycle class to the weakest model it rules out', () => {
    expect(modelsRuledOutBy(['G0']).not).toEqual(['read-uncommitted']);
    expect(modelsRuledOutBy(['G1c']).not).toEqual(['read-committed']);
    const g2 = modelsRuledOutBy(['G2-item']);
    expect(g2.not).toEqual(['repeatable-read']);
    expect(g2.alsoNot).toContain('serializable');
    expect(g2.alsoNot).not.toContain('read-committed');
    expect(modelsRuledOutBy(['G-single']).alsoNot).toContain('snapshot-isolation');
    expect(modelsRuledOutBy(['G-nonadjacent']).not).toEqual(['snapshot-isolation']);
  });

  it('realtime variants rule out strong-serializable (strict-serializable) but not serializable', () => {
    for (const a of ['G-single-realtime', 'G2-item-realtime', 'G1c-realtime', 'G0-realtime']) {
      const b = modelsRuledOutBy([a]);
      const all = [...b.not, ...b.alsoNot];
      expect(all).toContain('strong-serializable');
      expect(all).not.toContain('serializable');
    }
    expect(modelsRuledOutBy(['G-single-process']).not).toEqual(['strong-session-snapshot-isolation']);
  });

  it('the prohibited set follows models and named anomalies', () => {
    const ss = prohibitedAnomalies({});
    expect(ss.has('G-single-realtime')).toBe(true);
    expect(ss.has('G2-item')).toBe(true);
    const rc = prohibitedAnomalies({ consistency: ['read-committed'] });
    expect(rc.has('G1c')).toBe(true);
    expect(rc.has('G2-item')).toBe(false);
    expect(rc.has('G-single')).toBe(false);
    const none = prohibitedAnomalies({ consistency: [], anomalies: ['G2-item'] });
    expect(sorted(none)).toEqual(sorted(['G2-item', 'G-nonadjacent-item', 'G-single-item', 'lost-update']));
    expect(prohibitedAnomalies({ consistency: ['serializable'] }).has('G-single-realtime')).toBe(false);
    expect(prohibitedAnomalies({ consistency: ['snapshot-isolation'] }).has('G-single')).toBe(true);
    // serializable and PL-3 are one model: both its lists count (G2 and the cycle-exists fallback, and internal)
    const ser = prohibitedAnomalies({ consistency: ['serializable'] });
    for (const a of ['G2', 'G2-item', 'PL-3-cycle-exists', 'internal', 'G-nonadjacent']) expect(ser.has(a)).toBe(true);
  });

  it('refuses unknown names with one sentence each, listing the known ones', () => {
    expect(validateTxnOptions({ consistency: ['serializable', 'PL-2'], anomalies: ['G2-item'] })).toEqual([]);
    const errs = validateTxnOptions({ consistency: ['serialisable'], anomalies: ['G3'] });
    expect(errs).toHaveLength(2);
    expect(errs[0]).toMatch(/^unknown consistency model 'serialisable'; known models are: .*strict-serializable/);
    expect(errs[1]).toMatch(/^unknown anomaly 'G3'; known anomalies are: .*G2-item, /);
    expect(KNOWN_MODELS).toContain('strong-snapshot-isolation');
    expect(KNOWN_ANOMALIES).toContain('lost-update');
  });
});
