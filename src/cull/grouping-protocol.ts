/**
 * Messages between the page and the grouping worker (cull/worker/groups.worker.ts): a discriminated
 * union keyed by `type` both ways, each call's `id` echoed by its answer, as the other workers do.
 */
import { groupShoot, type Grouping, type GroupingPhoto } from './groups.ts';

export type GroupingRequest =
  | { type: 'group'; id: number; photos: GroupingPhoto[]; strictness: number }
  | { type: 'cancel'; id: number };

export type GroupingEvent =
  | { type: 'started'; id: number }
  | { type: 'grouped'; id: number; grouping: Grouping }
  | { type: 'failed'; id: number; message: string };

/**
 * What the worker answers to one request (none for a cancel: a grouping runs to its end in one
 * go, and the bridge has already given up on it). Pure, so a fake worker in the unit tests answers
 * exactly as the real one does.
 */
export function answerGrouping(request: GroupingRequest): GroupingEvent[] {
  if (request.type === 'cancel') return [];
  const started: GroupingEvent = { type: 'started', id: request.id };
  try {
    const grouping = groupShoot(request.photos, request.strictness);
    return [started, { type: 'grouped', id: request.id, grouping }];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [started, { type: 'failed', id: request.id, message }];
  }
}
