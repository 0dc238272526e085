import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The only files GraphiQL needs, all from node_modules: nothing is fetched from a CDN. */
const SOURCES: Record<string, { pkg: string; file: string; type: string }> = {
  'react.production.min.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.production.min.js': {
    pkg: 'react-dom',
    file: 'umd/react-dom.production.min.js',
    type: 'text/javascript',
  },
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
  // graphiql.min.js ends with `sourceMappingURL=index.umd.js.map`: without it DevTools reports a 404.
  'index.umd.js.map': { pkg: 'graphiql', file: 'graphiql.min.js.map', type: 'application/json' },
};

/**
 * These files are not in their packages' `exports` maps, so `require.resolve('graphiql/graphiql.min.js')`
 * throws ERR_PACKAGE_PATH_NOT_EXPORTED; locate each package through its (exported) package.json instead.
 */
function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

export interface Asset {
  body: Buffer;
  type: string;
}

const cache = new Map<string, Asset>();

export function graphiqlAsset(name: string): Asset | undefined {
  if (name === 'init.js') {
    return { body: Buffer.from(INIT_SCRIPT), type: 'text/javascript' };
  }
  const source = SOURCES[name];
  if (!source) {
    return undefined;
  }
  let asset = cache.get(name);
  if (!asset) {
    asset = { body: readFileSync(packageFile(source.pkg, source.file)), type: source.type };
    cache.set(name, asset);
  }
  return asset;
}

const DEFAULT_QUERY = `# Set your token in the Headers tab below:
#   { "Authorization": "Bearer trb_…" }
# (npm run dev prints the admin token.)
query Sources {
  sources(first: 20) {
    totalCount
    edges { node { id name kind environment status } }
  }
}
`;

// GraphiQL fetches the schema once, when its fetcher is created; the api serves it only to a valid token.
// So once the Headers editor holds a complete token (a new one), a new fetcher is rendered: GraphiQL then
// introspects again with the headers in the editor, and docs and autocomplete follow. Half-typed tokens
// are not sent (they would count as failed authentications).
const INIT_SCRIPT = `
(function () {
  var url = window.location.pathname;
  var COMPLETE_TOKEN = /^Bearer\\s+trb_[0-9a-f]{32}_[A-Za-z0-9_-]{43}\\s*$/i;
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  var sentAuthorization = null;
  var pending = null;

  function authorizationOf(headers) {
    var parsed;
    try { parsed = JSON.parse(headers || '{}'); } catch (e) { return null; }
    for (var name in parsed) {
      if (name.toLowerCase() === 'authorization') { return String(parsed[name]); }
    }
    return null;
  }

  function onEditHeaders(headers) {
    var authorization = authorizationOf(headers);
    if (authorization === sentAuthorization || !COMPLETE_TOKEN.test(authorization || '')) { return; }
    clearTimeout(pending);
    pending = setTimeout(function () { sentAuthorization = authorization; render(); }, 300);
  }

  function render() {
    root.render(React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: url }),
      defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
      defaultHeaders: '{\\n  "Authorization": "Bearer "\\n}',
      defaultEditorToolsVisibility: 'headers',
      shouldPersistHeaders: false,
      onEditHeaders: onEditHeaders
    }));
  }

  render();
})();
`;

export const GRAPHIQL_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Tributary GraphiQL</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/graphiql/assets/graphiql.min.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/assets/react.production.min.js"></script>
  <script src="/graphiql/assets/react-dom.production.min.js"></script>
  <script src="/graphiql/assets/graphiql.min.js"></script>
  <script src="/graphiql/assets/init.js"></script>
</body>
</html>
`;

// Everything is same-origin; inline styles are needed by GraphiQL's editor.
export const GRAPHIQL_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'";
