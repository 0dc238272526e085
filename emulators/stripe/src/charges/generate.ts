// Charge rows: one-off card payments of the generated customers, within 90 days of signing up; 12 % fail
// (declined cards), the rest succeed.
import { type ObjectCounts, ownerOf } from '../counts';
import { customerId, generatedCreated } from '../customers/generate';
import { digest, stableId } from '../ids';

const DAY = 86_400;

export interface ChargeRow {
  index: number;
  id: string;
  created: number;
  /** Null for a written charge paid with a card token and no customer. */
  customer: string | null;
  /** -1 for written charges, which keep their customer's details in `written`. */
  customerIndex: number;
  status: 'succeeded' | 'failed';
  amount: number;
  /** Written charges only (writes.ts): what they record instead of what generation derives. */
  written?: WrittenCharge;
}

/** A refund of a charge (`POST /v1/refunds`), as the charge's `refunds` list shows it. */
export interface Refund {
  id: string;
  amount: number;
  created: number;
  reason: string | null;
  metadata: Record<string, string>;
}

export interface WrittenCharge {
  /** Null for a charge made with a card token and no customer. */
  billing: { address: unknown; email: string | null; name: string | null; phone: string | null };
  description: string | null;
  metadata: Record<string, string>;
  receiptEmail: string | null;
  refunds: Refund[];
}

export function generateChargeRows(seed: number, counts: ObjectCounts): ChargeRow[] {
  return Array.from({ length: counts.charges }, (_, index) => {
    const customerIndex = ownerOf(index, counts.charges, counts.customers);
    const bytes = digest(seed, 'charge-row', index);
    return {
      index,
      id: stableId('ch_', 24, seed, 'charge', index),
      created: generatedCreated(seed, customerIndex) + (bytes.readUInt32BE(0) % (90 * DAY)),
      customer: customerId(seed, customerIndex),
      customerIndex,
      status: bytes[4] % 100 < 12 ? 'failed' : 'succeeded',
      amount: 500 + 100 * (bytes.readUInt16BE(5) % 200),
    };
  });
}
