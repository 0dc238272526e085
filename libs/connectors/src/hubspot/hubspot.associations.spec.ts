import { associationRecords, HUBSPOT_ASSOCIATIONS } from './hubspot.associations';

const [contactCompanies] = HUBSPOT_ASSOCIATIONS;

describe(associationRecords.name, () => {
  it('makes one record per linked pair, keyed <fromId>-<toId>, with the types in HubSpot’s order', () => {
    const records = associationRecords(contactCompanies, [
      {
        fromId: '9',
        to: [
          {
            toObjectId: 9001,
            associationTypes: [
              { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
              { category: 'HUBSPOT_DEFINED', typeId: 279 },
            ],
          },
          { toObjectId: '9044', associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 279, label: null }] },
        ],
      },
      { fromId: '10', to: [] },
    ]);
    expect(records).toEqual([
      {
        externalId: '9-9001',
        payload: {
          id: '9-9001',
          fromObjectType: 'contacts',
          fromId: '9',
          toObjectType: 'companies',
          toId: '9001',
          associationTypes: [
            { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
            { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
          ],
        },
      },
      expect.objectContaining({ externalId: '9-9044', payload: expect.objectContaining({ toId: '9044' }) }),
    ]);
  });
});
