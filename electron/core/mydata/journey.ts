// "Get my data from MyData": opens the official website in the person's own browser (their card reader and mobile ID work there), watches their downloads folder for the next MyData download for a limited time, and offers it for import. Never scrapes the website, never automates a login, never asks for a website password.
import { stat, unlink } from 'node:fs/promises';
import { AppFailure, type AppError } from '../../contract/errors.ts';
import type { ImportChoice } from '../../contract/package.ts';
import type { JourneyState } from '../../contract/journey.ts';
import { detectLayout } from '../package/website.ts';
import { watchForDownload, type FoundDownload } from './downloads-watch.ts';
import type { MyDataService } from './service.ts';

/** The official MyData website (個人化資料自主運用平臺), opened in the person's browser. */
export const OFFICIAL_WEBSITE = 'https://mydata.nat.gov.tw/';
export const JOURNEY_TIMEOUT_MS = 30 * 60_000;

export interface JourneyOptions {
  mydata: Pick<MyDataService, 'importOfferPath'>;
  openExternal(url: string): Promise<void>;
  /** The page to open: the official website, or the demo's stand-in in the demo profile. */
  websiteUrl(): string;
  /** The folder to watch: the setting, or the OS's downloads folder (main passes app.getPath('downloads')). */
  downloadsFolder(): string;
  onState(state: JourneyState): void;
  timeoutMs?: number;
  pollMs?: number;
  stableMs?: number;
}

const IDLE: JourneyState = { state: 'idle', website: null, folder: null, until: null, found: null, error: null };

function internal(error: unknown): AppError {
  if (error instanceof AppFailure) return error.toAppError();
  return {
    code: 'JOURNEY_WATCH_FAILED',
    message_zh: '監看下載資料夾時發生錯誤。請確認設定中的下載資料夾存在且可讀取，再試一次；也可以改用「選擇要匯入的檔案」。',
    message_en: 'Watching the downloads folder failed. Check that the downloads folder in Settings exists and can be read, then try again; or use "Choose a file to import" instead.',
    retryable: true,
  };
}

export class JourneyService {
  readonly #options: JourneyOptions;
  #state: JourneyState = IDLE;
  #abort: AbortController | null = null;
  /** Files the watcher found, by import token: the only ones deleteDownload may remove. */
  readonly #found = new Map<string, FoundDownload>();

  constructor(options: JourneyOptions) {
    this.#options = options;
  }

  status(): JourneyState {
    return this.#state;
  }

  #set(state: JourneyState): JourneyState {
    this.#state = state;
    this.#options.onState(state);
    return state;
  }

  async start(): Promise<JourneyState> {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    const website = this.#options.websiteUrl();
    const folder = this.#options.downloadsFolder();
    const timeoutMs = this.#options.timeoutMs ?? JOURNEY_TIMEOUT_MS;
    try {
      await stat(folder);
    } catch {
      return this.#set({ ...IDLE, state: 'failed', website, folder, error: internal(null) });
    }
    // Start watching before the browser opens, so a fast download is not missed.
    const watching = watchForDownload({
      folder,
      timeoutMs,
      signal: abort.signal,
      ...(this.#options.pollMs === undefined ? {} : { pollMs: this.#options.pollMs }),
      ...(this.#options.stableMs === undefined ? {} : { stableMs: this.#options.stableMs }),
      accept: async (found) => (await detectLayout(found.path, found.name).catch(() => 'unknown')) !== 'unknown',
    });
    const state = this.#set({ ...IDLE, state: 'watching', website, folder, until: new Date(Date.now() + timeoutMs).toISOString() });
    void watching.then(
      (found) => this.#arrived(found, abort, state),
      (error: unknown) => {
        if (this.#abort === abort) this.#set({ ...state, state: 'failed', error: internal(error) });
      },
    );
    try {
      await this.#options.openExternal(website);
    } catch (error) {
      abort.abort();
      return this.#set({ ...state, state: 'failed', until: null, error: internal(error) });
    }
    return state;
  }

  async #arrived(found: FoundDownload | null, abort: AbortController, watching: JourneyState): Promise<void> {
    if (this.#abort !== abort) return;
    if (found === null) {
      this.#set({ ...watching, state: abort.signal.aborted ? 'cancelled' : 'timed-out', until: null });
      return;
    }
    let choice: Extract<ImportChoice, { cancelled: false }>;
    try {
      choice = await this.#options.mydata.importOfferPath(found.path, 'official-website');
    } catch (error) {
      this.#set({ ...watching, state: 'failed', until: null, error: internal(error) });
      return;
    }
    this.#found.set(choice.token, found);
    this.#set({ ...watching, state: 'found', until: null, found: choice });
  }

  cancel(): JourneyState {
    this.#abort?.abort();
    this.#abort = null;
    if (this.#state.state === 'watching') return this.#set({ ...this.#state, state: 'cancelled', until: null });
    return this.#state;
  }

  /** Removes the plain copy the watcher found (only that file, and only while it is unchanged). */
  async deleteDownload(token: string): Promise<{ deleted: boolean }> {
    const found = this.#found.get(token);
    if (found === undefined) return { deleted: false };
    try {
      const info = await stat(found.path);
      if (info.size !== found.size) return { deleted: false };
      await unlink(found.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { deleted: false };
      throw error;
    }
    this.#found.delete(token);
    return { deleted: true };
  }

  dispose(): void {
    this.#abort?.abort();
  }
}
