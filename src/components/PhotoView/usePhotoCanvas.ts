import { useEffect, useRef } from 'react';
import { usePhotoActions } from '../../store/hooks/usePhotos.ts';

/**
 * A canvas ref that shows the photo's working bitmap once the photo is ready: kept, or decoded
 * again if it was evicted to keep memory within budget. Used by the loupe and the compare panes.
 */
export function usePhotoCanvas(photoId: string, ready: boolean) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { photoBitmap } = usePhotoActions();
  useEffect(() => {
    if (!ready) return;
    let current = true;
    photoBitmap(photoId).then(
      (bitmap) => {
        const el = canvas.current;
        if (!current || !el) return;
        el.width = bitmap.width;
        el.height = bitmap.height;
        el.getContext('2d')?.drawImage(bitmap, 0, 0);
      },
      () => {}, // removed meanwhile
    );
    return () => {
      current = false;
    };
  }, [photoId, ready, photoBitmap]);
  return canvas;
}
