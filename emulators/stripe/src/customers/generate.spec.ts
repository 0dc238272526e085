import fixture from '../../fixtures/customer.json';
import { customerFields } from './customer';
import { GENERATION_EPOCH, generateCustomer, generatedCreated } from './generate';
import { CustomerStore } from './store';

describe('generated Stripe customers', () => {
  it('are deterministic for a seed and differ between seeds', () => {
    expect(generateCustomer(1, 7, 100)).toEqual(generateCustomer(1, 7, 100));
    expect(generateCustomer(2, 7, 100).id).not.toBe(generateCustomer(1, 7, 100).id);
    expect(generateCustomer(1, 0, 100)).toMatchObject({
      id: expect.stringMatching(/^cus_[0-9A-Za-z]{14}$/),
      email: 'customer0001@example.test',
    });
  });

  it('carry exactly the fixture fields, id and object first', () => {
    const customer = generateCustomer(1, 3, 100);
    expect(Object.keys(customer)).toEqual(customerFields());
    expect(Object.keys(customer).sort()).toEqual(Object.keys(fixture).sort());
  });

  it('get strictly increasing created timestamps from 2024-01-01', () => {
    const created = Array.from({ length: 500 }, (_, i) => generatedCreated(1, i));
    expect(created[0]).toBeGreaterThanOrEqual(GENERATION_EPOCH);
    created.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(created[i]));
  });

  it('list newest first, ties on created broken by id descending', () => {
    const store = new CustomerStore(1, () => 2_000_000_000);
    store.reset(3);
    const added = store.add(4);
    const order = store.list().map((customer) => customer.id);
    expect(order.slice(0, 4)).toEqual(
      added
        .map((customer) => customer.id)
        .sort()
        .reverse(),
    );
    expect(
      store
        .list()
        .slice(4)
        .map((customer) => customer.email),
    ).toEqual(['customer0003@example.test', 'customer0002@example.test', 'customer0001@example.test']);
  });

  it('update bumps fields but not created, and delete leaves a retrievable stub', () => {
    const store = new CustomerStore(1, () => 0);
    store.reset(10);
    const [target] = store.list();
    const [updated] = store.update({ ids: [target.id] }, { email: 'changed@example.test' });
    expect(updated).toMatchObject({ id: target.id, created: target.created, email: 'changed@example.test' });
    expect(store.delete({ count: 5 })).toHaveLength(5);
    expect(store.list()).toHaveLength(5);
    expect(store.retrieve(target.id)).toEqual({ id: target.id, object: 'customer', deleted: true });
    expect(() => store.update({ ids: [target.id] })).toThrow(RangeError);
  });

  it('reset to none after a listing lists none (the listing is not kept across resets)', () => {
    const store = new CustomerStore(1, () => 0);
    store.reset(10);
    const [former] = store.list();
    store.reset(0);
    expect(store.list()).toEqual([]);
    // Nor is it a cursor any more (Stripe answers 400 for an unknown starting_after).
    expect(store.position(former.id)).toBeUndefined();
  });
});
