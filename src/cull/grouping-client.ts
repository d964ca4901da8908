/**
 * The page's side of the grouping worker, over the shared worker bridge: one call per regroup,
 * cancelled when a newer one makes it stale, and a crashed worker replaced (the call runs again).
 */
import { expectEvent, fromWorker, WorkerBridge, type WorkerPort } from '../lib/worker-bridge.ts';
import type { GroupingEvent, GroupingRequest } from './grouping-protocol.ts';
import type { Grouping, GroupingPhoto } from './groups.ts';

/** What the store asks of grouping (tests pass the real client over a fake worker). */
export interface GroupingService {
  group(photos: GroupingPhoto[], strictness: number, signal?: AbortSignal): Promise<Grouping>;
}

/** 2,000 photos group in well under a second; a minute of silence is a hung worker. */
const GROUP_HANG_MS = 60_000;

const startGroupsWorker = fromWorker(
  () =>
    new Worker(new URL('./worker/groups.worker.ts', import.meta.url), {
      type: 'module',
      name: 'groups',
    }),
);

export class GroupingClient implements GroupingService {
  private readonly bridge: WorkerBridge<GroupingRequest, GroupingEvent>;

  constructor(options: { createWorker?: () => WorkerPort } = {}) {
    this.bridge = new WorkerBridge<GroupingRequest, GroupingEvent>({
      create: options.createWorker ?? startGroupsWorker,
      cancel: (id) => ({ type: 'cancel', id }),
      failure: (event) =>
        event.type === 'failed' ? new Error(`Grouping failed (${event.message}).`) : null,
      crashMessage: (detail) => `The grouping worker stopped (${detail}).`,
    });
  }

  async group(photos: GroupingPhoto[], strictness: number, signal?: AbortSignal) {
    const event = await this.bridge.call({
      prepare: (id) => ({ message: { type: 'group', id, photos, strictness } }),
      signal,
      hangMs: GROUP_HANG_MS,
      hangMessage: 'Grouping took too long and was stopped.',
      retry: true,
    });
    return expectEvent(event, 'grouped').grouping;
  }
}
