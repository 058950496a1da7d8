import { describe, expect, it } from 'vitest';
import { HEALTHY_TIMEOUT_MS, healthBudgetMs } from '../../src/run/healthy.js';

// The health wait after the final heal must leave the recovery checker ops to judge: it takes at most
// half the recovery bound, so the final reads (retried until the bound) begin well within it.
describe('the health wait budget', () => {
  it('is half the recovery bound, at most 30 s', () => {
    expect(healthBudgetMs(30)).toBe(15_000);
    expect(healthBudgetMs(10)).toBe(5_000);
    expect(healthBudgetMs(600)).toBe(HEALTHY_TIMEOUT_MS);
    expect(HEALTHY_TIMEOUT_MS).toBe(30_000);
  });
});
