// English messages of the update banner: one entry for every key of messages.zh-TW.ts.
import type { updateZhTW } from './messages.zh-TW.ts';

export const updateEn: Readonly<Record<keyof typeof updateZhTW, string>> = {
  'update.region': 'App update',
  'update.downloading': 'Downloading update {version}…',
  'update.progress': 'Download progress of update {version}',
  'update.ready': 'Update {version} is downloaded and checked. It is installed only when you restart; finish anything unsaved first.',
  'update.restart': 'Restart to update',
  'update.later': 'Later',
  'update.failed': 'The update did not complete',
};
