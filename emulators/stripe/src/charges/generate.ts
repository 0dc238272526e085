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
  customer: string;
  customerIndex: number;
  status: 'succeeded' | 'failed';
  amount: number;
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
