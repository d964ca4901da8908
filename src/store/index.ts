/**
 * The one app store, made of slices by concern. Components never import this directly: they use
 * the named hooks in store/hooks/, each with a small selector.
 */
import { create } from 'zustand';
import { createChatSlice, type ChatSlice } from './chatSlice.ts';
import { createModelSlice, type ModelSlice } from './modelSlice.ts';
import { createPhotosSlice, type PhotosSlice } from './photosSlice.ts';
import { createPixelsSlice, type PixelsSlice } from './pixelsSlice.ts';

export type AppState = PhotosSlice & ModelSlice & PixelsSlice & ChatSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createPhotosSlice(...a),
  ...createModelSlice(...a),
  ...createPixelsSlice(...a),
  ...createChatSlice(...a),
}));
