// What each side of `npm run bench -- shopify` does, written into bench/results/shopify.json beside the figures.

export const SIDES: Record<string, string> = {
  emulator:
    'The Shopify emulator (emulators/shopify) in a process of its own, reset with N orders (1-4 line items each, ' +
    'pointing at 100 products; one customer per five orders) generated in the year before a day ago, its clock ' +
    'then following real time. Bulk jobs take its default timing (50 ms to start, 250 ms to run, on its clock). ' +
    'Throttling off, or on at its default bucket (Shopify Standard: 2,000 points, restoring 100/s), refilled ' +
    'before each side. Before each incremental case its clock moves an hour on and M orders, spread evenly over ' +
    'the shop, get a new note and updatedAt (100 orders a second over the last seconds); the throttled case ' +
    'changes the same M orders again.',
  engine:
    'A Shopify source created and given the shop domain and token through GraphQL, served by the real worker ' +
    'app in a child process (NODE_ENV=production, workflows bundled at start, run from TypeScript through ' +
    'ts-node); triggerSourceSync of orders timed from just before its GraphQL trigger to the end of its ' +
    'workflow, following continue-as-new. The first run is the full refresh (whatever path the connector takes ' +
    'for it); the next ones are incremental (SYNC_FULL_REFRESH_MINUTES=1440): the change log from the saved ' +
    'position. Rows go into the real records table (emptied before the measured shop; the incremental runs ' +
    'update the full refresh rows). The per-shop budget is process config: far above the load with throttling ' +
    'off, at the emulator bucket with it on (SHOPIFY_COST_POINTS_PER_SECOND=100, SHOPIFY_COST_BUCKET_POINTS=2000, ' +
    'the defaults); the budget is emptied of history before each side.',
  fullRefreshBaseline:
    'A script in the bench process with the official @shopify/admin-api-client configured as the connector ' +
    "configures it (createShopifyClient: retries off): bulkOperationRunQuery of the connector's own " +
    "bulkQueryFor('orders'), a poll of the job at once and then every second until COMPLETED (as the " +
    "connector's bulk reader polls), the JSONL downloaded whole, each line item put under its order " +
    '(__parentId) as lineItems, then COPY … FROM STDIN of (object, external_id, payload) in 2,000-order chunks ' +
    'into an empty table created LIKE records INCLUDING ALL. jobSeconds, downloadSeconds, parseSeconds and ' +
    'writeSeconds split its time.',
  incrementalBaseline:
    'A sequential script in the bench process with the same client: the connector’s ShopifyChangeLog reading ' +
    "orders from the engine's saved position (so both sides send the same query text, page size, updated_at " +
    'filter and lookback), each page COPYd as it comes into an empty table like records. With throttling on it ' +
    'waits before each query until the bucket, as the last answer’s throttleStatus reported it and refilled at ' +
    'its restoreRate since, holds the query’s requestedQueryCost; a THROTTLED answer would be waited out and ' +
    'sent again (counted). fetchSeconds includes pacingSeconds; pointsRequested/pointsCharged sum the answers’ ' +
    'requested and actual costs.',
};

export const NOTES: string[] = [
  'Both full-refresh sides end with every order of the shop, each with as many line items (checked by id and ' +
    'line-item count); both incremental sides with exactly the changed orders (the engine’s rows carrying the ' +
    'round’s note, its run INCREMENTAL with recordsUpdated = M).',
  'The full refresh runs with throttling off only: a bulk query costs a few points whatever its size, so the ' +
    'bucket does not bind a bulk read; a paging full refresh at 2,000 points / 100/s would take hours for 50,000 ' +
    'orders (15 orders per 842-point page).',
];
