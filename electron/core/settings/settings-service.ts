// Persisted preferences: schema-validated, versioned with our own schemaVersion and forward-only migrations.
import {
  AppFailure,
  DEFAULT_SETTINGS,
  SettingsPatchSchema,
  SettingsSchema,
  type Settings,
  type SettingsPatch,
  type ProfileChoice,
} from '../../contract/index.ts';
import type { KeyValueStore } from '../ports.ts';

export const SETTINGS_SCHEMA_VERSION = 2;
const VERSION_KEY = 'schemaVersion';

/** A migration turns the whole stored object of version `from` into version `from + 1`. */
export interface SettingsMigration {
  from: number;
  migrate(stored: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Version 0 is a store written before versioning (or an empty one): keep whatever known keys are
 * valid, fill the rest with defaults, drop anything unknown.
 */
export const SETTINGS_MIGRATIONS: readonly SettingsMigration[] = [
  { from: 0, migrate: (stored) => keepValidFields(migrateLegacyProfile(stored)) },
  { from: 1, migrate: (stored) => keepValidFields(migrateLegacyProfile(stored)) },
];

/**
 * Versions 0–1 knew two profiles: 'sandbox' (now 'demo') and 'platform', whose address came only from an environment
 * variable and was never stored. The sandbox was a silent default, never a choice, so neither counts as chosen: a
 * packaged build asks once. A 'platform' without its address cannot be kept, so it becomes the demo until chosen.
 */
function migrateLegacyProfile(stored: Record<string, unknown>): Record<string, unknown> {
  const { profile, ...rest } = stored;
  if (profile === 'sandbox' || profile === 'platform') return { ...rest, profile: 'demo', profileChosen: false, platformUrl: null };
  return stored;
}

/** Defaults, overlaid with every stored field that is known and valid on its own. */
function keepValidFields(stored: Record<string, unknown>): Settings {
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [key, value] of Object.entries(stored)) {
    if (!Object.hasOwn(DEFAULT_SETTINGS, key)) continue;
    const field = SettingsSchema.shape[key as keyof Settings];
    if (field.safeParse(value).success) out[key] = value;
  }
  return SettingsSchema.parse(out);
}

export const SettingsError = {
  newerSchema: (found: number) =>
    new AppFailure({
      code: 'SETTINGS_NEWER_SCHEMA',
      message_zh: `設定檔由較新版本的 MyData Desktop 寫入（格式第 ${found} 版），本版本無法讀取。請更新應用程式；在此之前將以預設設定執行，且不會覆寫該檔案。`,
      message_en: `The settings were written by a newer MyData Desktop (format version ${found}) that this version cannot read. Update the app; until then it runs with default settings and leaves that file untouched.`,
      retryable: false,
    }),
};

export interface SettingsServiceOptions {
  store: KeyValueStore;
  migrations?: readonly SettingsMigration[];
  currentVersion?: number;
  onChange?: (settings: Settings) => void;
}

export interface SettingsService {
  get(): Settings;
  /** A preference change from the Settings screen (never the profile: see choose). */
  update(patch: SettingsPatch): Settings;
  /** Records the person's profile choice (the caller validated a platform's address and recomposes the app). */
  choose(choice: ProfileChoice): Settings;
  /** Stores the folder main's picker returned (the renderer cannot name a path itself). */
  useDownloadsFolder(folder: string): Settings;
  /** A problem met while opening the store (for example a newer schema), shown once to the person. */
  readonly openProblem: AppFailure | null;
}

export function openSettings(options: SettingsServiceOptions): SettingsService {
  const { store, onChange } = options;
  const migrations = options.migrations ?? SETTINGS_MIGRATIONS;
  const currentVersion = options.currentVersion ?? SETTINGS_SCHEMA_VERSION;

  let readOnly = false;
  let openProblem: AppFailure | null = null;
  let current: Settings;

  const storedVersionRaw = store.get(VERSION_KEY);
  const storedVersion = typeof storedVersionRaw === 'number' && Number.isInteger(storedVersionRaw) ? storedVersionRaw : 0;

  if (storedVersion > currentVersion) {
    // A downgrade: never rewrite what a newer app wrote.
    readOnly = true;
    openProblem = SettingsError.newerSchema(storedVersion);
    current = { ...DEFAULT_SETTINGS };
  } else {
    let data: Record<string, unknown> = Object.fromEntries(Object.entries(store.store).filter(([key]) => key !== VERSION_KEY));
    for (let v = storedVersion; v < currentVersion; v++) {
      const step = migrations.find((m) => m.from === v);
      if (!step) throw new Error(`no settings migration from version ${v}`);
      data = step.migrate(data);
    }
    const parsed = SettingsSchema.safeParse(data);
    // A value edited by hand into something invalid falls back to the default for that field only.
    current = parsed.success ? parsed.data : keepValidFields(data);
    persist(current);
  }

  function persist(settings: Settings): void {
    if (readOnly) return;
    for (const key of Object.keys(store.store)) {
      if (key !== VERSION_KEY && !Object.hasOwn(settings, key)) store.delete(key);
    }
    for (const [key, value] of Object.entries(settings)) store.set(key, value);
    store.set(VERSION_KEY, currentVersion);
  }

  return {
    get: () => ({ ...current }),
    update(patch) {
      const checked = SettingsPatchSchema.parse(patch);
      return write(checked);
    },
    choose(choice) {
      const next = choice.profile === 'platform' ? choice : { ...choice, platformUrl: null };
      return write({ ...next, profileChosen: true });
    },
    useDownloadsFolder(folder) {
      return write({ downloadsFolder: folder });
    },
    get openProblem() {
      return openProblem;
    },
  };

  function write(patch: Partial<Settings>): Settings {
    const next = SettingsSchema.parse({ ...current, ...patch });
    current = next;
    persist(next);
    onChange?.({ ...next });
    return { ...next };
  }
}
