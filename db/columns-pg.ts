import { customType } from 'drizzle-orm/pg-core';

/** The PostgreSQL twin of columns.ts: NanoPAC amounts as exact decimal text. */
export const nanoPac = customType<{ data: bigint; driverData: string }>({
  dataType: () => 'text',
  toDriver: (value) => value.toString(),
  fromDriver: (value) => BigInt(value),
});
