/// <reference lib="webworker" />
/**
 * The grouping worker: bursts and near-duplicates of a shoot (cull/groups.ts) worked out off the
 * main thread, so regrouping 2,000 photos as results arrive never holds up scrolling or keys.
 */
import { answerGrouping, type GroupingRequest } from '../grouping-protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<GroupingRequest>) => {
  for (const answer of answerGrouping(event.data)) self.postMessage(answer);
};
