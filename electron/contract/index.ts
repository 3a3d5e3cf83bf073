// The IPC contract: every channel's payload and result schema, every event, and the window.mydata API.
// Imported by main and preload as values; by the renderer as types only (ARCHITECTURE §3–4).
import { z } from 'zod';
import { AppErrorSchema, type AppError } from './errors.ts';
import { DeepLinkSchema } from './deeplink.ts';
import { SettingsPatchSchema, SettingsSchema, ProfileSchema } from './settings.ts';
import { directoryChannels } from './directory.ts';
import { directoryScreenChannels } from './directory-screen.ts';
import { identityChannels, identityEvents } from './identity.ts';
import { historyChannels } from './history-channels.ts';
import { consentChannels } from './consent.ts';
import { packageChannels, packageEvents } from './package.ts';
import { updateChannels, updateEvents } from './update.ts';
import { datasetChannels } from './datasets.ts';
import { journeyChannels, journeyEvents } from './journey.ts';
import { profileChannels } from './profiles.ts';
import { BilingualSchema } from '../common/schemas.ts';

export * from './errors.ts';
export * from './settings.ts';
export * from './deeplink.ts';
export * from './platform.ts';
export * from './directory.ts';
export * from './directory-screen.ts';
export * from './identity.ts';
export * from './history.ts';
export * from './history-channels.ts';
export * from './consent.ts';
export * from './package.ts';
export * from './update.ts';
export * from './datasets.ts';
export * from './journey.ts';
export * from './profiles.ts';

const Empty = z.object({}).strict();

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  profile: ProfileSchema,
  /** Display name of the platform the profile points at (the embedded sandbox by default). */
  platformName: BilingualSchema,
  /** The platform's origin; null in the official profile (no platform API). */
  platformUrl: z.string().nullable(),
  /** A packaged build on its first start: the person chooses official or demo before anything else. */
  needsProfileChoice: z.boolean(),
  /** 'electron' in the packaged app, 'bridge' when the dispatcher is bridged into a test browser. */
  runtime: z.enum(['electron', 'bridge']),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** Progress of long work (downloads, verification, encryption, PDF), streamed as events. */
export const ProgressSchema = z.object({
  taskId: z.string(),
  phase: z.string(),
  done: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  unit: z.enum(['bytes', 'items']),
});

/** Channels of the shell itself; features keep theirs in their own contract file. */
const appChannels = {
  'app:info': { payload: Empty, result: AppInfoSchema },
  'settings:get': { payload: Empty, result: SettingsSchema },
  'settings:update': { payload: SettingsPatchSchema, result: SettingsSchema },
  /** Deep links that arrived before the renderer listened (for example the one that started the app). */
  'deeplink:pending': { payload: Empty, result: z.array(DeepLinkSchema) },
} as const;

/** Channel map: name → { payload, result } schemas. handle() validates both directions. */
export const channels = {
  ...appChannels,
  ...directoryChannels,
  ...directoryScreenChannels,
  ...identityChannels,
  ...historyChannels,
  ...consentChannels,
  ...packageChannels,
  ...updateChannels,
  ...datasetChannels,
  ...journeyChannels,
  ...profileChannels,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type Payload<C extends ChannelName> = z.input<Channels[C]['payload']>;
export type Result<C extends ChannelName> = z.output<Channels[C]['result']>;
export type InvokeResult<C extends ChannelName> = { ok: true; value: Result<C> } | { ok: false; error: AppError };

/** Event map: name → schema of what main sends to the renderer. */
export const events = {
  'deeplink:received': DeepLinkSchema,
  'deeplink:rejected': AppErrorSchema,
  'progress': ProgressSchema,
  'settings:changed': SettingsSchema,
  ...identityEvents,
  ...packageEvents,
  ...updateEvents,
  ...journeyEvents,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventData<E extends EventName> = z.output<Events[E]>;

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** What the preload exposes as window.mydata, exactly. */
export interface MyDataApi {
  invoke<C extends ChannelName>(channel: C, payload: Payload<C>): Promise<InvokeResult<C>>;
  on<E extends EventName>(event: E, listener: (data: EventData<E>) => void): () => void;
}

/** The IPC channel names the preload and main use underneath window.mydata. */
export const IPC_INVOKE = 'mydata:invoke';
export const IPC_EVENT = 'mydata:event';
