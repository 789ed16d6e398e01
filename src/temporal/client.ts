/** Connection, client and search-attribute registration, shared by the API, the worker and scripts. */
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import { codecFromConfig, dataConverterFor } from './data-converter';
import { ALL_SEARCH_ATTRIBUTES } from './search-attributes';
import { temporal } from '@temporalio/proto';

export interface TemporalHandles {
  connection: Connection;
  client: Client;
}

export async function connectTemporal(config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'KOPPELWERK_CODEC_KEY' | 'KOPPELWERK_CODEC_KEY_ID' | 'KOPPELWERK_CODEC_OLD_KEYS'>): Promise<TemporalHandles> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: dataConverterFor(codecFromConfig(config)),
  });
  return { connection, client };
}

const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/** Idempotent: registers the custom search attributes the workflows upsert. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = ALL_SEARCH_ATTRIBUTES.filter((k) => !(k.name in (existing.customAttributes ?? {})));
  if (!missing.length) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((k) => [k.name, INDEXED[k.type]])),
  });
}
