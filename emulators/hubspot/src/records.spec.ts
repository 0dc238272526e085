import { HubSpotState } from './state';

const NOW = Date.UTC(2026, 0, 15, 12);

describe('generated portal', () => {
  it('is the same for a seed, differs for another, and has ids of several lengths, ascending', () => {
    const ids = (seed: number) => new HubSpotState({ seed, clock: () => NOW, limits: false }).stores.contacts.idList();
    expect(ids(1)).toEqual(ids(1));
    expect(ids(2)).not.toEqual(ids(1));
    const lengths = new Set(ids(1).map((id) => String(id).length));
    expect([...lengths].sort()).toEqual([1, 2, 3, 4]);
    expect(ids(1)).toEqual([...ids(1)].sort((a, b) => a - b));
  });

  it('has a few hundred records by default, a few archived, associations both ways, and string values only', () => {
    const state = new HubSpotState({ clock: () => NOW, limits: false });
    const counts = state.counts();
    expect(counts.contacts.live + counts.contacts.archived).toBe(300);
    expect(counts.contacts.archived).toBeGreaterThan(0);
    const deal = state.stores.deals.idList()[0];
    const companies = state.associations.read('deals', deal, 'companies');
    expect(companies[0].associationTypes.map((type) => type.typeId)).toEqual([5, 341]);
    expect(
      state.associations.read('companies', companies[0].toObjectId, 'deals').map((link) => link.toObjectId),
    ).toContain(deal);
    const store = state.stores.contacts;
    const object = store.render(store.get(store.idList()[0])!, store.propertyNames());
    expect(Object.keys(object.properties).length).toBeGreaterThan(500);
    expect(Object.values(object.properties).every((value) => value === null || typeof value === 'string')).toBe(true);
    expect(object.properties.lastmodifieddate).toBe(object.updatedAt);
  });

  it('makes 50,000 contacts when asked', () => {
    const state = new HubSpotState({ contacts: 50_000, companies: 10, deals: 0, clock: () => NOW, limits: false });
    const ids = state.stores.contacts.idList();
    expect(ids.length + state.counts().contacts.archived).toBe(50_000);
    expect(String(ids[ids.length - 1]).length).toBeGreaterThanOrEqual(7);
  });
});
