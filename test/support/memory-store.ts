// An in-memory settings store (the KeyValueStore port electron-store fills in the app) for compositions in tests.
import type { KeyValueStore } from '../../electron/core/ports.ts';

export function memoryStore(): KeyValueStore {
  const data = new Map<string, unknown>();
  return {
    get: (key) => data.get(key),
    set: (key, value) => void data.set(key, value),
    delete: (key) => void data.delete(key),
    get store() {
      return Object.fromEntries(data);
    },
  };
}
