/** The same data converter on client and worker: encrypted payloads, encoded failure messages. */
import type { DataConverter } from '@temporalio/common';
import { makeKeyring } from '../domain/crypto';
import type { Config } from '../config';
import { AesGcmPayloadCodec } from './codec';

export function codecFromConfig(config: Pick<Config, 'KOPPELWERK_CODEC_KEY' | 'KOPPELWERK_CODEC_KEY_ID' | 'KOPPELWERK_CODEC_OLD_KEYS'>): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec(makeKeyring(config.KOPPELWERK_CODEC_KEY_ID, config.KOPPELWERK_CODEC_KEY, config.KOPPELWERK_CODEC_OLD_KEYS));
}

export function dataConverterFor(codec: AesGcmPayloadCodec): DataConverter {
  return {
    payloadCodecs: [codec],
    failureConverterPath: require.resolve('./failure-converter'),
  };
}
