// The JSON schema handed to electron-store / conf, derived from the contract's zod schema so the two cannot drift.
import { z } from 'zod';
import { SettingsSchema } from '../../contract/index.ts';
import { PRIVATE_FILE_MODE } from '../vault/fsio.ts';

type JsonSchemaProperties = Record<string, Record<string, unknown>>;

export function settingsStoreSchema(): JsonSchemaProperties {
  const json = z.toJSONSchema(SettingsSchema) as { properties: JsonSchemaProperties };
  return { ...json.properties, schemaVersion: { type: 'integer', minimum: 0 } };
}

/** Options for electron-store / conf: the schema, never clearing an invalid file, and a file only its owner can read. */
export function settingsStoreOptions() {
  return { name: 'settings', schema: settingsStoreSchema(), clearInvalidConfig: false, configFileMode: PRIVATE_FILE_MODE };
}

/**
 * Opens a conf-style store; when the file fails the schema (edited by hand, or corrupted), it is set aside
 * under a dated name, never deleted, and a fresh store is opened.
 */
export function openValidatedStore<T>(open: () => T, setAside: () => void): { store: T; recovered: boolean } {
  try {
    return { store: open(), recovered: false };
  } catch {
    setAside();
    return { store: open(), recovered: true };
  }
}
