/**
 * Credentials per koppeling and external system, sealed with AES-256-GCM (bound to the koppeling
 * via AAD). Only activities call `read`, at call time; workflows only ever see the version number.
 */
import type { Keyring } from '../domain/crypto';
import { open, seal } from '../domain/crypto';
import { rememberSecrets } from '../platform/log';
import type { Store } from './mongo';

export class CredentialStore {
  constructor(
    private readonly store: Store,
    private readonly ring: Keyring,
  ) {}

  private aad(koppelingId: string, system: string): string {
    return `koppelwerk:credentials:${koppelingId}:${system}`;
  }

  /** Replace the credentials of one system; returns the new version. */
  async put(tenantId: string, koppelingId: string, system: string, secret: Record<string, string>): Promise<number> {
    rememberSecrets(secret); // never in a log line, whatever key it ends up under
    const box = seal(this.ring, secret, this.aad(koppelingId, system));
    const res = await this.store.c.credentials.findOneAndUpdate(
      { _id: `${koppelingId}:${system}` },
      {
        $set: { koppelingId, tenantId, system, keyId: box.keyId, data: box.data, updatedAt: new Date() },
        $inc: { version: 1 },
      },
      { upsert: true, returnDocument: 'after' },
    );
    return res?.version ?? 1;
  }

  async read<T extends Record<string, string>>(koppelingId: string, system: string): Promise<T | undefined> {
    const doc = await this.store.c.credentials.findOne({ _id: `${koppelingId}:${system}` });
    if (!doc) return undefined;
    const secret = open<T>(this.ring, { keyId: doc.keyId, data: doc.data }, this.aad(koppelingId, system));
    rememberSecrets(secret);
    return secret;
  }

  async systems(koppelingId: string): Promise<string[]> {
    const docs = await this.store.c.credentials.find({ koppelingId }, { projection: { system: 1 } }).toArray();
    return docs.map((d) => d.system);
  }
}
