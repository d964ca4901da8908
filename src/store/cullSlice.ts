/**
 * The photographer's marks on each photo (flag, stars, colour label; see cull/marks.ts). Kept
 * apart from the app's own results: the app suggests, the person decides, and the person's marks
 * always win.
 */
import type { StateCreator } from 'zustand';
import { NO_MARKS, type ColorLabel, type CullMarks, type Flag, type Stars } from '../cull/marks.ts';
import type { AppState, StoreContext } from './index.ts';

export interface CullSlice {
  /** Only photos the person has marked have an entry; the rest read as NO_MARKS. */
  marks: Record<string, CullMarks>;
  setFlag(photoId: string, flag: Flag): void;
  setStars(photoId: string, stars: Stars): void;
  setLabel(photoId: string, label: ColorLabel | null): void;
  forgetPhotoMarks(photoId: string): void;
}

export const createCullSlice =
  (_context: StoreContext): StateCreator<AppState, [], [], CullSlice> =>
  (set, get) => {
    const change = (photoId: string, patch: Partial<CullMarks>) => {
      if (!get().photos[photoId]) return;
      set((s) => ({
        marks: { ...s.marks, [photoId]: { ...(s.marks[photoId] ?? NO_MARKS), ...patch } },
      }));
    };
    return {
      marks: {},
      setFlag: (photoId, flag) => change(photoId, { flag }),
      setStars: (photoId, stars) => change(photoId, { stars }),
      setLabel: (photoId, label) => change(photoId, { label }),
      forgetPhotoMarks(photoId) {
        if (!(photoId in get().marks)) return;
        set((s) => {
          const marks = { ...s.marks };
          delete marks[photoId];
          return { marks };
        });
      },
    };
  };
