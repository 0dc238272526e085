import { SEARCH_ATTRIBUTE_KEYS } from '@app/temporal';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../../scripts/lib/temporal-dev-server';
import { testTemporalAddress } from '../utils/temporal';

// temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
const KEYWORD = 2;

describe('Temporal dev server of the test setup', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await Connection.connect({ address: testTemporalAddress(), connectTimeout: 10_000 });
  });
  afterAll(() => connection?.close());

  it('serves the default namespace', async () => {
    const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(namespaceInfo?.name).toBe('default');
  });

  it('has our search attributes registered as Keyword (DESIGN.md "Names")', async () => {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(customAttributes).toMatchObject({
      SourceId: KEYWORD,
      SourceKind: KEYWORD,
      WorkspaceId: KEYWORD,
      SyncObject: KEYWORD,
    });
  });

  it('starts dev servers with exactly the search attributes libs/temporal defines', () => {
    // jest's globalSetup cannot resolve @app/* paths, so scripts/lib keeps its own copy of the names.
    expect(SEARCH_ATTRIBUTE_KEYS.map((key) => `${key.name}=${key.type}`).sort()).toEqual(
      SEARCH_ATTRIBUTES.map((name) => `${name}=${SearchAttributeType.KEYWORD}`).sort(),
    );
  });
});
