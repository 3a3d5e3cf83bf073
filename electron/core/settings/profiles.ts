// Profiles kept apart: each profile's folder (vault, keys, history, receipts, the platform directory with its trust
// anchors, the demo's sandbox CA) and the one-time move of the single-folder layout that came before.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { AppFailure, type Profile, type Settings } from '../../contract/index.ts';

export const PROFILES_DIR = 'profiles';

/** What the app keeps per profile, named as the single-folder layout named them in the app's data folder. */
const LEGACY_ENTRIES = ['vault', 'history', 'receipts', 'spool', 'exports', 'platform-directory.json', 'sandbox'] as const;

export const ProfileError = {
  noPlatform: () =>
    new AppFailure({
      code: 'PROFILE_NO_PLATFORM',
      message_zh:
        '官方 MyData 服務沒有提供應用程式可連線的介面，因此這項功能在「官方服務」設定檔中無法使用。請在 MyData 官方網站下載資料後，於「我的資料」匯入；或在「設定」改用示範或其他平臺。',
      message_en:
        'The official MyData service offers no interface the app can connect to, so this is not available in the official-service profile. Download your data on the official MyData website and import it under My data, or switch to the demo or another platform in Settings.',
      retryable: false,
    }),
  platformWithoutAddress: () =>
    new AppFailure({
      code: 'PROFILE_PLATFORM_ADDRESS_MISSING',
      message_zh: '「其他平臺」設定檔沒有平臺網址。請在「設定」輸入平臺的 https 網址。',
      message_en: 'The other-platform profile has no platform address. Enter the platform’s https address in Settings.',
      retryable: false,
    }),
};

/** The folder name of a profile: a platform's is derived from its origin, so two platforms never share one. */
export function profileFolderName(profile: Profile, platformUrl: string | null): string {
  if (profile !== 'platform') return profile;
  if (platformUrl === null) throw ProfileError.platformWithoutAddress();
  const origin = new URL(platformUrl).origin;
  return `platform-${createHash('sha256').update(origin).digest('hex').slice(0, 16)}`;
}

export function profileFolder(userDataDir: string, settings: Pick<Settings, 'profile' | 'platformUrl'>): string {
  return join(userDataDir, PROFILES_DIR, profileFolderName(settings.profile, settings.platformUrl));
}

/**
 * Before profiles were kept apart everything lived directly in the app's data folder, and the only profile ever
 * composed there with a stored state was the sandbox ('sandbox', now 'demo'): its data moves, once, into the demo
 * profile's folder. Data of the old 'platform' profile (whose address was never stored) moves to a folder of its own
 * that no profile opens, so it is neither lost nor mixed with another profile's. Returns the folder moved to, or null.
 */
export function moveLegacyLayout(userDataDir: string, legacyProfile: unknown): string | null {
  const present = LEGACY_ENTRIES.filter((name) => existsSync(join(userDataDir, name)));
  if (present.length === 0) return null;
  const target = join(userDataDir, PROFILES_DIR, legacyProfile === 'platform' ? 'unassigned-platform' : 'demo');
  if (existsSync(target)) return null;
  mkdirSync(target, { recursive: true, mode: 0o700 });
  for (const name of present) renameSync(join(userDataDir, name), join(target, name));
  return target;
}
