import type { BudgetSettlement, RequestBudget } from '../core/request-budget';
import { settleCost } from './shopify.client';

/** A budget that records what the client asks of it. */
function recording(): { budget: RequestBudget; taken: number[]; settled: BudgetSettlement[] } {
  const taken: number[] = [];
  const settled: BudgetSettlement[] = [];
  return {
    taken,
    settled,
    budget: {
      take: (_kind, cost = 1) => Promise.resolve(void taken.push(cost)),
      settle: (_kind, settlement) => Promise.resolve(void settled.push(settlement)),
    },
  };
}

const status = (currentlyAvailable: number) => ({ maximumAvailable: 2000, currentlyAvailable, restoreRate: 100 });

describe('settleCost: the shop budget after an answer', () => {
  it('gives back the requested cost Shopify did not charge, with what Shopify holds', async () => {
    const { budget, taken, settled } = recording();
    await settleCost(budget, 'orders-page-a', 842, {
      requestedQueryCost: 842,
      actualQueryCost: 277,
      throttleStatus: status(1723),
    });
    expect(taken).toEqual([]);
    expect(settled).toEqual([{ refund: 565, available: 1723 }]);
  });

  it('gives back everything taken for a THROTTLED answer (actualQueryCost null: nothing charged)', async () => {
    const { budget, settled } = recording();
    await settleCost(budget, 'orders-page-b', 842, {
      requestedQueryCost: 842,
      actualQueryCost: null,
      throttleStatus: status(300),
    });
    expect(settled).toEqual([{ refund: 842, available: 300 }]);
  });

  it('takes the rest when the first guess was below the charge', async () => {
    const { budget, taken, settled } = recording();
    await settleCost(budget, 'orders-page-c', 1, { requestedQueryCost: 842, actualQueryCost: 277 });
    expect(taken).toEqual([276]);
    expect(settled).toEqual([{ refund: 0 }]);
  });

  it('keeps what was taken when the answer has no cost figures (an HTTP failure)', async () => {
    const { budget, taken, settled } = recording();
    await settleCost(budget, 'orders-page-d', 842, undefined);
    await settleCost(budget, 'orders-page-d', 842, { requestedQueryCost: 0, actualQueryCost: null });
    expect([taken, settled]).toEqual([[], []]);
  });

  it('works with a budget that has nothing to settle (it counts requests)', async () => {
    const taken: number[] = [];
    const budget: RequestBudget = { take: (_kind, cost = 1) => Promise.resolve(void taken.push(cost)) };
    await settleCost(budget, 'orders-page-e', 10, { requestedQueryCost: 12, actualQueryCost: 12 });
    expect(taken).toEqual([2]);
  });
});
