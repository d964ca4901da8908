/**
 * Grounded answers on the real store with a fake model: "Show on photo" asks the worker for a
 * constrained box with the attribute's region prompt; a chat "where" question asks for a box in
 * words and draws it only when the answer reads as exactly one; other questions are not read.
 */
import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_REGIONS, regionPrompt, whereQuestionPrompt } from '../model/grounding.ts';
import { createAppStore } from './index.ts';
import { fakeServices, photoFile, until } from './testing/fakes.ts';

async function storeWithPhoto() {
  const fakes = fakeServices();
  const store = createAppStore(fakes.services);
  await store.getState().initModel(new URLSearchParams('?device=wasm'));
  if (store.getState().model.status === 'needs-consent') await store.getState().startModel();
  await until(() => store.getState().model.status === 'ready', 2000, 'model ready');
  store.getState().addFiles([photoFile('a.jpg')]);
  const id = Object.values(store.getState().photos)[0]!.id;
  return { store, id, ...fakes };
}

describe('grounded answers', () => {
  it('"Show on photo" asks for the attribute’s region and keeps the box with its confidence', async () => {
    const { store, id, model } = await storeWithPhoto();
    store.getState().showOnPhoto(id, 'noise');
    expect(store.getState().regions[id]?.status).toBe('running');
    await until(() => store.getState().regions[id]?.status === 'done', 2000, 'located');
    expect(model.locateCalls).toEqual([
      { photoId: id, question: regionPrompt(ATTRIBUTE_REGIONS.noise) },
    ]);
    const region = store.getState().regions[id]!;
    expect(region.label).toBe('Noise');
    expect(region.reading).toEqual({ kind: 'box', box: { x1: 0.1, y1: 0.2, x2: 0.6, y2: 0.7 } });
    expect(region.confidence?.perToken).toBe(0.8);
    store.getState().removePhoto(id);
    expect(store.getState().regions[id]).toBeUndefined();
  });

  it('asks a chat "where" question again under the grammar when its answer had no box', async () => {
    const { store, id, model } = await storeWithPhoto();
    store.getState().locateQuestion(id, 'Where is the blur?');
    await until(() => store.getState().regions[id]?.status === 'done', 2000, 'located');
    expect(model.locateCalls.at(-1)?.question).toBe(whereQuestionPrompt('Where is the blur?'));
    expect(store.getState().regions[id]).toMatchObject({
      source: 'constrained',
      label: 'Where is the blur',
      reading: { kind: 'box' },
    });
  });

  it('reads a chat "where" answer: a box when it names one, the reason when it does not', async () => {
    const { store, id, model } = await storeWithPhoto();
    await until(() => store.getState().scores[id]?.status === 'done', 2000, 'scored');
    const answer = async (question: string, text: string, n: number) => {
      store.getState().askQuestion(id, question);
      await until(() => model.generations.length >= n, 2000, 'asked');
      const call = model.generations[n - 1]!;
      call.finish(text);
      await until(
        () => store.getState().chats[id]?.exchanges.at(-1)?.answer.status === 'done',
        2000,
        'answered',
      );
      return call.request;
    };
    let n = model.generations.length;

    const asked = await answer(
      'Where is the blur?',
      'The blur is at [0.10, 0.50, 0.40, 0.95].',
      ++n,
    );
    expect(asked.turns.at(-1)?.text).toContain('[x1, y1, x2, y2]');
    expect(store.getState().regions[id]?.reading).toMatchObject({ kind: 'box' });
    expect(store.getState().regions[id]?.source).toBe('free-text');

    await answer('Which part is overexposed?', 'The sky, mostly.', ++n);
    expect(store.getState().regions[id]?.reading).toMatchObject({ kind: 'none', reason: 'no-box' });
    expect(store.getState().chats[id]?.exchanges.at(-1)?.answer.grounding?.kind).toBe('none');

    const open = await answer('How is the exposure?', '[0.1, 0.1, 0.2, 0.2]', n + 1);
    expect(open.turns.at(-1)?.text).toBe('How is the exposure?');
    expect(store.getState().chats[id]?.exchanges.at(-1)?.answer.grounding).toBeUndefined();
    expect(store.getState().regions[id]?.asked).toBe('Which part is overexposed?');
  });
});
