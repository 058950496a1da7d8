import { describe, expect, it } from 'vitest';
import { restartOrder } from '../../src/nemesis/process-faults.js';

describe('restartOrder (stop-kill)', () => {
  it('restarts the current primary first, then the others in the order they were killed', () => {
    // The soak's sequence: n1 killed (then fenced), n2 promoted and killed, n3 promoted and killed.
    expect(restartOrder(['n1', 'n2', 'n3'], 'n3')).toEqual(['n3', 'n1', 'n2']);
    expect(restartOrder(['n2', 'n1'], 'n1')).toEqual(['n1', 'n2']);
  });
  it('keeps the kill order when the primary is not among the killed nodes', () => {
    expect(restartOrder(['n3', 'n1'], 'n2')).toEqual(['n3', 'n1']);
    expect(restartOrder(['n2'], undefined)).toEqual(['n2']);
    expect(restartOrder([], 'n1')).toEqual([]);
  });
});
