import { Connection } from '@temporalio/client';
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
});
