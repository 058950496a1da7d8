import { describe, expect, it } from 'vitest';
import {
  any,
  appendWorkload,
  clients,
  limit,
  mix,
  nemesis,
  nemesisCycle,
  registerWorkload,
  reserve,
  setWorkload,
  simulate,
  stagger,
  timeLimit,
  type Generator,
} from '../../src/generators/index.js';

function schedule(seed: number): Generator {
  const w = mix([registerWorkload().generator, appendWorkload().generator]);
  return any(
    clients(timeLimit(5e9, stagger(200, reserve(2, setWorkload().generator, w)))),
    nemesis(timeLimit(5e9, nemesisCycle([{ f: 'start-partition', value: seed }, { f: 'stop-partition' }], 1e9))),
  );
}

describe('determinism', () => {
  const run = (seed: number) => simulate(schedule(seed), { concurrency: 6, seed, latencyNs: (o) => (o.f === 'read' ? 3e6 : 1e6) });

  it('the same seed gives the same schedule', () => {
    const a = run(42);
    expect(a.length).toBeGreaterThan(1000);
    expect(run(42)).toEqual(a);
  });

  it('another seed gives another schedule', () => {
    expect(run(43)).not.toEqual(run(42));
  });

  it('seeds beyond 32 bits are distinct', () => {
    const g = () => clients(limit(50, registerWorkload().generator));
    const a = simulate(g(), { concurrency: 3, seed: 2 ** 40 });
    const b = simulate(g(), { concurrency: 3, seed: 2 ** 41 });
    expect(a).not.toEqual(b);
  });
});
