// The single table's key schema and indexes: read by the CDK stack and by the local table creator.

export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'ttl',
} as const;

/** What a function may do with the table: nothing, read, or read and write. The CDK stack grants exactly this. */
export type TableAccess = 'none' | 'RO' | 'RW';

/** Generic global secondary indexes; docs/data-model.md says what each entity puts in them. */
export const TABLE_INDEXES = [
  { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
] as const;

/** The table's name in AWS (the data stack creates it under this name) and in the local runtime. */
export function deployedTableName(utilityId: string): string {
  return `utilitydesk-${utilityId}`;
}
export const LOCAL_TABLE_NAME = 'utilitydesk';
