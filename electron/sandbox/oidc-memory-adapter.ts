// The sandbox IdPs' oidc-provider storage adapter: everything in memory, with expiry.
type Stored = Record<string, unknown> & { uid?: string; userCode?: string; grantId?: string; consumed?: number };

/** oidc-provider's state, in memory: the sandbox forgets sessions and codes on restart by design (tokens live one transaction). */
export class MemoryAdapter {
  static readonly stores = new Map<string, Map<string, { payload: Stored; expiresAt: number }>>();
  readonly #store: Map<string, { payload: Stored; expiresAt: number }>;
  constructor(name: string) {
    const store = MemoryAdapter.stores.get(name) ?? new Map<string, { payload: Stored; expiresAt: number }>();
    MemoryAdapter.stores.set(name, store);
    this.#store = store;
  }
  #live(id: string): Stored | undefined {
    const entry = this.#store.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt < Date.now()) {
      this.#store.delete(id);
      return undefined;
    }
    return entry.payload;
  }
  upsert(id: string, payload: Stored, expiresIn: number): Promise<void> {
    this.#store.set(id, { payload, expiresAt: Date.now() + expiresIn * 1000 });
    return Promise.resolve();
  }
  find(id: string): Promise<Stored | undefined> {
    return Promise.resolve(this.#live(id));
  }
  findByUid(uid: string): Promise<Stored | undefined> {
    for (const [id, entry] of this.#store) if (entry.payload.uid === uid) return Promise.resolve(this.#live(id));
    return Promise.resolve(undefined);
  }
  findByUserCode(userCode: string): Promise<Stored | undefined> {
    for (const [id, entry] of this.#store) if (entry.payload.userCode === userCode) return Promise.resolve(this.#live(id));
    return Promise.resolve(undefined);
  }
  consume(id: string): Promise<void> {
    const entry = this.#store.get(id);
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    return Promise.resolve();
  }
  destroy(id: string): Promise<void> {
    this.#store.delete(id);
    return Promise.resolve();
  }
  revokeByGrantId(grantId: string): Promise<void> {
    for (const [id, entry] of this.#store) if (entry.payload.grantId === grantId) this.#store.delete(id);
    return Promise.resolve();
  }
}
