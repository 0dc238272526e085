import { copyField, eventCopyLine } from './event-copy-text';
import { normalizeMessage } from './tracking-message';

/** COPY's text format read back (what Postgres does with a field): the reference the escaping must invert. */
function readField(field: string): string | null {
  if (field === '\\N') {
    return null;
  }
  const named: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };
  return field.replace(/\\(.)/g, (_, c: string) => named[c] ?? c);
}

const NASTY = [
  'plain',
  'back\\slash',
  '\\N',
  '\\.',
  'tab\there',
  'new\nline',
  'carriage\rreturn',
  '\r\n\t\\\\',
  'ends with \\',
  'ünïcødé ✓ 🎉 \u2028',
  '',
];

describe('COPY text of events', () => {
  it.each(NASTY)('escapes %j so that a reader gets it back, with no raw tab, newline or CR', (value) => {
    const field = copyField(value);
    expect(field).not.toMatch(/[\t\n\r]/);
    expect(readField(field)).toBe(value);
  });

  it('writes NULL as \\N, distinct from the string "\\N"', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField('\\N')).toBe('\\\\N');
  });

  it('writes one line of 15 fields per event: nasty strings escaped, JSON as text, NULLs as \\N', () => {
    const at = new Date('2026-03-01T10:00:00.123Z');
    const result = normalizeMessage(
      {
        type: 'track',
        event: 'Tab\there\nand\\there',
        userId: 'u\r1',
        messageId: 'm\\1',
        traits: { note: 'quote " back \\ tab \t nl \n' },
        context: { externalIds: [{ id: 'x\ty', type: 'email' }] },
      },
      { receivedAt: at },
    );
    if (!result.ok) {
      throw new Error(result.reason);
    }
    const line = eventCopyLine('6f1d0c1e-0000-4000-8000-000000000001', result.event);
    expect(line.endsWith('\n')).toBe(true);
    const fields = line.slice(0, -1).split('\t').map(readField);
    expect(fields).toHaveLength(16);
    const [source, messageId, type, event, userId, anonymousId, groupId, previousId, traits, externalIds] = fields;
    expect([source, messageId, type, event, userId, anonymousId, groupId, previousId]).toEqual([
      '6f1d0c1e-0000-4000-8000-000000000001',
      'm\\1',
      'track',
      'Tab\there\nand\\there',
      'u\r1',
      null,
      null,
      null,
    ]);
    expect(JSON.parse(traits!)).toEqual({ note: 'quote " back \\ tab \t nl \n' });
    expect(JSON.parse(externalIds!)).toEqual([{ id: 'x\ty', type: 'email' }]);
    const [timestamp, originalTimestamp, sentAt, receivedAt, payload] = fields.slice(10);
    expect([timestamp, originalTimestamp, sentAt, receivedAt]).toEqual([
      at.toISOString(),
      null,
      null,
      at.toISOString(),
    ]);
    expect(JSON.parse(payload!)).toEqual(result.event.payload);
  });
});
