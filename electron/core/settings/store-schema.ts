// The JSON schema handed to electron-store / conf, derived from the contract's zod schema so the two cannot drift.
import { z } from 'zod';
import { ProfileSchema, SettingsSchema } from '../../contract/index.ts';
import { PRIVATE_FILE_MODE } from '../vault/fsio.ts';

/** Profile names older settings files may hold (migrated on open by settings-service). */
const LEGACY_PROFILES = ['sandbox'] as const;

type JsonSchemaProperties = Record<string, Record<string, unknown>>;

export function settingsStoreSchema(): JsonSchemaProperties {
  const json = z.toJSONSchema(SettingsSchema) as { properties: JsonSchemaProperties };
  // A file from before profiles were kept apart says 'sandbox'; it must open so the migration can rename it.
  const profile = { enum: [...ProfileSchema.options, ...LEGACY_PROFILES] };
  return { ...json.properties, profile, schemaVersion: { type: 'integer', minimum: 0 } };
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
