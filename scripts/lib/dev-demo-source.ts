// `npm run dev`'s demo source: a JAVASCRIPT source named "Demo web" in the dev workspace whose
// trackingConfig.allowedOrigins includes the demo page's own origin, with a write key kept in .data/.
import { existsSync, readFileSync } from 'node:fs';
import { errorCodes, postGraphql } from './admin-token';
import { writeSecretFile } from './dev-keys';

export const DEMO_SOURCE_NAME = 'Demo web';

export interface DemoSource {
  id: string;
  writeKey: string;
  allowedOrigins: string[];
}

/**
 * Finds or creates the demo source, adds `origin` to its allowed origins (keeping the others), and
 * returns a working write key: the one saved in `keyFile` while ingest accepts it, else a new one (the
 * first, or a rotation with no overlap when the saved one was lost), saved 0600.
 */
export async function ensureDemoSource(
  urls: { api: string; ingest: string },
  token: string,
  origin: string,
  keyFile: string,
): Promise<DemoSource> {
  const gql = graphql(urls.api, token);
  const listed = await gql<{ sources: { edges: { node: SourceNode }[] } }>(
    `{ sources(first: 100, filter: { kind: JAVASCRIPT }) { edges { node { ${SOURCE_FIELDS} } } } }`,
  );
  let source = listed.sources.edges.map((e) => e.node).find((s) => s.name === DEMO_SOURCE_NAME);
  source ??= (
    await gql<{ createSource: SourceNode }>(
      `mutation { createSource(input: { name: ${JSON.stringify(DEMO_SOURCE_NAME)}, kind: JAVASCRIPT,
         environment: DEVELOPMENT, trackingConfig: { allowedOrigins: [${JSON.stringify(origin)}] } }) { ${SOURCE_FIELDS} } }`,
    )
  ).createSource;
  const origins = source.trackingConfig?.allowedOrigins ?? [];
  if (!origins.includes(origin)) {
    const wanted = JSON.stringify([...origins, origin]);
    source = (
      await gql<{ updateSource: SourceNode }>(
        `mutation { updateSource(input: { id: "${source.id}", trackingConfig: { allowedOrigins: ${wanted} } }) { ${SOURCE_FIELDS} } }`,
      )
    ).updateSource;
  }
  const writeKey = await workingKey(gql, urls.ingest, source.id, keyFile);
  return { id: source.id, writeKey, allowedOrigins: source.trackingConfig?.allowedOrigins ?? [] };
}

interface SourceNode {
  id: string;
  name: string;
  trackingConfig: { allowedOrigins: string[] } | null;
}

const SOURCE_FIELDS = 'id name trackingConfig { allowedOrigins }';

type Gql = <T>(query: string) => Promise<T>;

function graphql(apiUrl: string, token: string): Gql {
  return async <T>(query: string): Promise<T> => {
    const answer = await postGraphql(apiUrl, token, query);
    const body = answer.body as { data?: T; errors?: { message?: string }[] };
    if (answer.status !== 200 || body.errors?.length || !body.data) {
      const codes = errorCodes(answer.body);
      throw new GraphqlRefusal(codes, `the demo source: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return body.data;
  };
}

class GraphqlRefusal extends Error {
  constructor(
    readonly codes: string[],
    message: string,
  ) {
    super(message);
  }
}

async function workingKey(gql: Gql, ingestUrl: string, sourceId: string, keyFile: string): Promise<string> {
  const saved = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
  if (saved && (await fetch(`${ingestUrl}/v1/projects/${encodeURIComponent(saved)}/settings`)).ok) {
    return saved;
  }
  const issued = await gql<{ issueWriteKey: { secret: string } }>(
    `mutation { issueWriteKey(sourceId: "${sourceId}") { secret } }`,
  ).then(
    (data) => data.issueWriteKey.secret,
    async (error: unknown) => {
      // The source already has a key we no longer know (a deleted .data/ file): replace it at once.
      if (!(error instanceof GraphqlRefusal) || !error.codes.includes('CONFLICT')) {
        throw error;
      }
      const rotated = await gql<{ rotateWriteKey: { secret: string } }>(
        `mutation { rotateWriteKey(sourceId: "${sourceId}", overlapSeconds: 0) { secret } }`,
      );
      return rotated.rotateWriteKey.secret;
    },
  );
  writeSecretFile(keyFile, `${issued}\n`);
  return issued;
}
