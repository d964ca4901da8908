import { useAppStore } from '../index.ts';

/** Whether the person chose to see this photo's GPS position. */
export function useGpsRevealed(photoId: string): boolean {
  return useAppStore((s) => s.gpsRevealed[photoId] === true);
}
