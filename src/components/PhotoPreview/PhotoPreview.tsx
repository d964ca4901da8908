import { useEffect, useRef } from 'react';
import { getBitmap } from '../../photos/bitmaps.ts';
import type { PhotoRecord } from '../../photos/types.ts';
import './PhotoPreview.css';

/** The selected photo, drawn from its decoded pixels (works for HEIC/TIFF the browser cannot show). */
export function PhotoPreview({ photo }: { photo: PhotoRecord }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const bitmap = getBitmap(photo.id);
    const el = canvas.current;
    if (!bitmap || !el) return;
    el.width = bitmap.width;
    el.height = bitmap.height;
    el.getContext('2d')?.drawImage(bitmap, 0, 0);
  }, [photo.id, photo.status]);
  if (photo.status === 'failed') {
    return (
      <div className="photo-preview photo-preview--failed" role="alert" data-testid="photo-error">
        <p>
          <strong>{photo.name}</strong> could not be used.
        </p>
        <p>{photo.error}</p>
      </div>
    );
  }
  return (
    <figure className="photo-preview">
      <canvas ref={canvas} aria-label={photo.name} data-testid="photo-canvas" />
      <figcaption>
        {photo.name}
        {photo.width && photo.height ? ` · ${photo.width}×${photo.height}` : ''}
        {photo.format ? ` · ${photo.format.toUpperCase()}` : ''}
        {photo.notes.map((n) => ` · ${n}`).join('')}
      </figcaption>
    </figure>
  );
}
