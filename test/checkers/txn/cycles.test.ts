import { describe, expect, it } from 'vitest';
import { classifyCycle, findCycles } from '../../../src/checkers/txn/cycles.js';
import { PROCESS, REALTIME } from '../../../src/checkers/txn/types.js';
import { graph, type E } from './fake.js';

const cyc = (n: number, edges: E[], variant = 0) =>
  findCycles(graph(n, edges), { variant }).cycles.map((c) => ({ kind: c.kind, vertices: c.vertices, kinds: c.kinds }));

describe('classifyCycle (Elle rules)', () => {
  it('names cycles by their edges', () => {
    expect(classifyCycle(['ww', 'ww'])).toBe('G0');
    expect(classifyCycle(['ww', 'wr'])).toBe('G1c');
    expect(classifyCycle(['rw', 'wr', 'ww'])).toBe('G-single-item');
    expect(classifyCycle(['rw', 'wr', 'rw', 'ww'])).toBe('G-nonadjacent-item');
    expect(classifyCycle(['rw', 'wr', 'ww', 'rw'])).toBe('G2-item'); // last and first are adjacent
    expect(classifyCycle(['rw', 'rw'])).toBe('G2-item');
    expect(classifyCycle(['ww', 'process'])).toBe('G0-process');
    expect(classifyCycle(['rw', 'process', 'realtime'])).toBe('G-single-item-realtime');
    expect(classifyCycle(['process', 'realtime'])).toBeNull();
  });
});

describe('findCycles: one graph per class', () => {
  it('G0: a ww cycle', () => {
    expect(
      cyc(3, [
        [0, 1, 'ww'],
        [1, 2, 'ww'],
        [2, 0, 'ww'],
      ]),
    ).toEqual([{ kind: 'G0', vertices: [0, 1, 2], kinds: ['ww', 'ww', 'ww'] }]);
  });

  it('G1c: rotated to start at its wr edge', () => {
    expect(
      cyc(3, [
        [0, 1, 'ww'],
        [1, 2, 'wr'],
        [2, 0, 'ww'],
      ]),
    ).toEqual([{ kind: 'G1c', vertices: [1, 2, 0], kinds: ['wr', 'ww', 'ww'] }]);
  });

  it('G-single-item: exactly one rw, starting with it', () => {
    expect(
      cyc(3, [
        [0, 1, 'wr'],
        [1, 2, 'rw'],
        [2, 0, 'ww'],
      ]),
    ).toEqual([{ kind: 'G-single-item', vertices: [1, 2, 0], kinds: ['rw', 'ww', 'wr'] }]);
  });

  it('G-nonadjacent-item: two rw, never adjacent, wrap-around included', () => {
    const edges: E[] = [
      [0, 1, 'rw'],
      [1, 2, 'wr'],
      [2, 3, 'rw'],
      [3, 0, 'ww'],
    ];
    expect(cyc(4, edges)).toEqual([{ kind: 'G-nonadjacent-item', vertices: [0, 1, 2, 3], kinds: ['rw', 'wr', 'rw', 'ww'] }]);
  });

  it('G2-item: two adjacent rw (a write skew), found as the pair wrapping around', () => {
    expect(
      cyc(2, [
        [0, 1, 'rw'],
        [1, 0, 'rw'],
      ]),
    ).toEqual([{ kind: 'G2-item', vertices: [0, 1], kinds: ['rw', 'rw'] }]);
    // rw rw ww: adjacency only through the middle
    expect(
      cyc(3, [
        [0, 1, 'rw'],
        [1, 2, 'rw'],
        [2, 0, 'ww'],
      ]),
    ).toEqual([{ kind: 'G2-item', vertices: [1, 2, 0], kinds: ['rw', 'ww', 'rw'] }]);
  });

  it('an edge of several kinds is taken as the kind each class needs', () => {
    // 0 -(wr+rw)-> 1 -ww-> 0 is both a G1c and a G-single-item; Elle reports both (G1c does not imply G-single-item).
    expect(
      cyc(2, [
        [0, 1, 'wr', 'rw'],
        [1, 0, 'ww'],
      ]),
    ).toEqual([
      { kind: 'G1c', vertices: [0, 1], kinds: ['wr', 'ww'] },
      { kind: 'G-single-item', vertices: [0, 1], kinds: ['rw', 'ww'] },
    ]);
  });

  it('a G0 makes G1c and the variants redundant in that component', () => {
    expect(
      cyc(
        3,
        [
          [0, 1, 'ww'],
          [1, 0, 'ww'],
          [1, 2, 'wr'],
          [2, 1, 'ww', 'process'],
        ],
        PROCESS,
      ).map((c) => c.kind),
    ).toEqual(['G0']);
  });
});

describe('findCycles: -process and -realtime variants', () => {
  it('G0-process needs a process edge; the plain class is found without it', () => {
    expect(
      cyc(
        2,
        [
          [0, 1, 'ww'],
          [1, 0, 'process'],
        ],
        PROCESS,
      ),
    ).toEqual([{ kind: 'G0-process', vertices: [1, 0], kinds: ['process', 'ww'] }]);
    // without process edges in the search, no cycle at all
    expect(
      cyc(
        2,
        [
          [0, 1, 'ww'],
          [1, 0, 'process'],
        ],
        0,
      ),
    ).toEqual([]);
  });

  it('G1c-realtime, G-single-item-realtime, G-nonadjacent-item-realtime and G2-item-realtime', () => {
    expect(
      cyc(
        3,
        [
          [0, 1, 'wr'],
          [1, 2, 'realtime'],
          [2, 0, 'ww'],
        ],
        REALTIME,
      ),
    ).toEqual([{ kind: 'G1c-realtime', vertices: [0, 1, 2], kinds: ['wr', 'realtime', 'ww'] }]);
    expect(
      cyc(
        2,
        [
          [0, 1, 'rw'],
          [1, 0, 'realtime'],
        ],
        REALTIME,
      ),
    ).toEqual([{ kind: 'G-single-item-realtime', vertices: [0, 1], kinds: ['rw', 'realtime'] }]);
    expect(
      cyc(
        4,
        [
          [0, 1, 'rw'],
          [1, 2, 'realtime'],
          [2, 3, 'rw'],
          [3, 0, 'wr'],
        ],
        REALTIME,
      ),
    ).toEqual([{ kind: 'G-nonadjacent-item-realtime', vertices: [0, 1, 2, 3], kinds: ['rw', 'realtime', 'rw', 'wr'] }]);
    expect(
      cyc(
        3,
        [
          [0, 1, 'rw'],
          [1, 2, 'rw'],
          [2, 0, 'realtime'],
        ],
        REALTIME,
      ),
    ).toEqual([{ kind: 'G2-item-realtime', vertices: [1, 2, 0], kinds: ['rw', 'realtime', 'rw'] }]);
  });

  it('G-single-item-process with process edges, and the realtime variant ignores process edges', () => {
    const edges: E[] = [
      [0, 1, 'rw'],
      [1, 0, 'process'],
    ];
    expect(cyc(2, edges, PROCESS)).toEqual([{ kind: 'G-single-item-process', vertices: [0, 1], kinds: ['rw', 'process'] }]);
    expect(cyc(2, edges, REALTIME)).toEqual([]);
  });

  it('a plain cycle found is not reported again as a variant', () => {
    const edges: E[] = [
      [0, 1, 'ww'],
      [1, 0, 'ww', 'realtime'],
    ];
    expect(cyc(2, edges, REALTIME).map((c) => c.kind)).toEqual(['G0']);
  });
});

describe('findCycles: shortest, components, budget', () => {
  it('chooses the shortest cycle when several exist', () => {
    // 0 -> 1 -> 2 -> 3 -> 4 -> 0 (length 5) and 2 -> 3 -> 2 (length 2), one component.
    const edges: E[] = [
      [0, 1, 'ww'],
      [1, 2, 'ww'],
      [2, 3, 'ww'],
      [3, 4, 'ww'],
      [4, 0, 'ww'],
      [3, 2, 'ww'],
    ];
    expect(cyc(5, edges)).toEqual([{ kind: 'G0', vertices: [2, 3], kinds: ['ww', 'ww'] }]);
  });

  it('no cycle, no component', () => {
    const r = findCycles(
      graph(4, [
        [0, 1, 'ww'],
        [1, 2, 'wr'],
        [2, 3, 'rw'],
        [0, 3, 'realtime'],
      ]),
      { variant: REALTIME },
    );
    expect(r).toMatchObject({ sccs: 0, largestScc: 0, cycles: [], timedOut: false, incomplete: [] });
  });

  it('one cycle per class per component, components separate', () => {
    const edges: E[] = [
      [0, 1, 'ww'],
      [1, 0, 'ww'],
      [2, 3, 'ww'],
      [3, 2, 'wr'],
    ];
    const r = findCycles(graph(4, edges));
    expect(r.sccs).toBe(2);
    expect(r.cycles.map((c) => [c.kind, c.vertices])).toEqual([
      ['G0', [0, 1]],
      ['G1c', [3, 2]],
    ]);
  });

  it('a 200,000-vertex chain with one back edge is one component and one cycle, without recursion', () => {
    const n = 200_000;
    const edges: E[] = [];
    for (let i = 0; i + 1 < n; i++) edges.push([i, i + 1, 'ww']);
    edges.push([n - 1, 0, 'rw']);
    const r = findCycles(graph(n, edges));
    expect(r.sccs).toBe(1);
    expect(r.largestScc).toBe(n);
    expect(r.cycles).toHaveLength(1);
    expect(r.cycles[0]!.kind).toBe('G-single-item');
    expect(r.cycles[0]!.vertices[0]).toBe(n - 1);
    expect(r.cycles[0]!.vertices).toHaveLength(n);
  });

  it('the deadline stops the search: what was found is kept, the rest is incomplete, with a cycle-exists fallback', () => {
    // Component {0,1} holds a G0; component {2,3} a write skew. The fake clock passes the deadline
    // after the four class checks of the first component (G0, then G-single-item, G2-item, G-nonadjacent-item).
    let calls = 0;
    const now = () => (calls++ < 4 ? 0 : 100);
    const r = findCycles(
      graph(4, [
        [0, 1, 'ww'],
        [1, 0, 'ww'],
        [2, 3, 'rw'],
        [3, 2, 'rw'],
      ]),
      { deadline: 50, now },
    );
    expect(r.timedOut).toBe(true);
    expect(r.cycles.map((c) => [c.kind, c.vertices])).toEqual([['G0', [0, 1]]]);
    expect(r.incomplete).toEqual(['G0', 'G1c', 'G-single-item', 'G-nonadjacent-item', 'G2-item'].map((kind) => ({ scc: 1, kind, why: 'deadline' })));
    expect(r.cycleExists).toEqual([{ kind: 'PL-3-cycle-exists', model: 'serializable', subgraph: 'ww wr rw', vertices: [2, 3] }]);
  });
});
