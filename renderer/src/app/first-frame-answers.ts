// The start-up answers main gives in the page with the first frame's HTML (FirstFrameAnswers): read from the page in
// the window, and put where the first render looks for them, in the window and when main renders that frame.
import type { FirstFrameAnswers } from '../../../electron/contract/first-frame.ts';
import { clearSession, seedSession } from '../features/identity/session.ts';
import { clearIpcQueries, seedIpcQuery } from './query.ts';

/** The id of the page's JSON block holding the answers (type application/json: data, never run). */
export const FIRST_FRAME_ANSWERS_ID = 'first-frame-answers';

/** The answers the first render shows: the same in main (rendering the HTML) and in the window (taking it over). */
export function seedFirstFrame(answers: FirstFrameAnswers): void {
  seedIpcQuery('settings:get', {}, answers.settings);
  seedIpcQuery('app:info', {}, answers.appInfo);
  if (answers.identity !== undefined) {
    seedIpcQuery('identity:session', {}, answers.identity);
    seedSession(answers.identity);
  }
}

/** Forgets what seedFirstFrame put in (main keeps no answers between pages). */
export function clearFirstFrame(): void {
  clearIpcQueries();
  clearSession();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Takes the answers out of the page: the block is removed (the page keeps no copy of, say, a session that is later
 * signed out), and its answers returned, or null when there are none or they are not what main writes (the window
 * then starts without them, asking main as usual). Main wrote them (app:// serves only main's answers), so their
 * shape is what the contract says; this checks only enough to choose the path.
 */
export function takeFirstFrameAnswers(doc: Document): FirstFrameAnswers | null {
  const block = doc.getElementById(FIRST_FRAME_ANSWERS_ID);
  if (!block) return null;
  block.remove();
  if (block.getAttribute('type') !== 'application/json') return null;
  let value: unknown;
  try {
    value = JSON.parse(block.textContent);
  } catch {
    return null;
  }
  if (!isObject(value) || !isObject(value.settings) || !isObject(value.appInfo)) return null;
  if (value.identity !== undefined && value.identity !== null && !isObject(value.identity)) return null;
  return value as unknown as FirstFrameAnswers;
}
