import { customType } from 'drizzle-orm/sqlite-core';

/**
 * NanoPAC amounts are stored as decimal text: exact, readable in the sqlite shell, and never a JS number. In a
 * module of its own, so the schema's parts can use it whichever of them loads first.
 */
export const nanoPac = customType<{ data: bigint; driverData: string }>({
  dataType: () => 'text',
  toDriver: (value) => value.toString(),
  fromDriver: (value) => BigInt(value),
});
