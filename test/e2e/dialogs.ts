// Stand-in for main's folder and file dialogs (compose's fileDialogs port) in the browser tests: a spec queues the answers; an empty queue is a cancel.
import type { FileDialogs } from '../../electron/main/features/mydata.ts';

export const dialogAnswers = {
  folders: [] as (string | null)[],
  files: [] as (string | null)[],
};

export const e2eDialogs: FileDialogs = {
  chooseFolder: () => Promise.resolve(dialogAnswers.folders.shift() ?? null),
  chooseFile: () => Promise.resolve(dialogAnswers.files.shift() ?? null),
};
