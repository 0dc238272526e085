const TOKEN_PATTERN = /^trb_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiToken {
  id: string;
  secret: string;
}

/** `trb_<token id without dashes>_<secret>`: the id finds the row, the secret proves possession. */
export function formatApiToken(id: string, secret: string): string {
  return `trb_${id.replace(/-/g, '')}_${secret}`;
}

export function parseApiToken(token: string): ParsedApiToken | null {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) {
    return null;
  }
  const hex = match[1];
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { id, secret: match[2] };
}
