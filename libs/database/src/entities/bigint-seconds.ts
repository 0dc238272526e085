import type { ValueTransformer } from 'typeorm';

/** A bigint column of unix seconds: pg hands bigints over as strings; seconds fit a JS number exactly. */
export const bigintSeconds: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
