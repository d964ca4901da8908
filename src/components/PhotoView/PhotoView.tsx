import { useEffect, useRef } from 'react';
import type { OverlayMap } from '../../pixels/client.ts';
import type { PhotoRecord } from '../../photos/types.ts';
import { useOverlays, usePixelActions } from '../../store/hooks/useOverlays.ts';
import { usePixelAnalysis } from '../../store/hooks/usePixelAnalysis.ts';
import type { OverlayKind } from '../../store/pixelsSlice.ts';
import { QualityMapOverlay } from '../QualityMap/QualityMapOverlay.tsx';
import { RegionBoxOverlay, RegionNote } from './RegionBox.tsx';
import { usePhotoCanvas } from './usePhotoCanvas.ts';
import './PhotoView.css';

const OVERLAYS: { kind: OverlayKind; label: string; legend: string }[] = [
  { kind: 'sharpness', label: 'Focus peaking', legend: 'green where detail is crisp' },
  {
    kind: 'clipping',
    label: 'Clipping zebra',
    legend: 'red: blown highlights, blue: crushed shadows',
  },
  { kind: 'noise', label: 'Noise map', legend: 'yellow to red where noise is stronger' },
];

/** One overlay map, drawn at its own small size and stretched over the photo by CSS. */
function Overlay({ kind, map }: { kind: OverlayKind; map: OverlayMap }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    el.width = map.width;
    el.height = map.height;
    const pixels = new ImageData(map.rgba as Uint8ClampedArray<ArrayBuffer>, map.width, map.height);
    el.getContext('2d')?.putImageData(pixels, 0, 0);
  }, [map]);
  return (
    <canvas
      ref={canvas}
      className={`photo-view__overlay photo-view__overlay--${kind}`}
      data-testid={`overlay-${kind}`}
      aria-hidden="true"
    />
  );
}

/** The big photo view with toggleable overlays: focus peaking, clipping zebra and noise map. */
export function PhotoView({ photo }: { photo: PhotoRecord }) {
  const canvas = usePhotoCanvas(photo.id, photo.status === 'ready');
  const overlays = useOverlays();
  const { toggleOverlay, restorePhotoMaps } = usePixelActions();
  const state = usePixelAnalysis(photo.id);
  const maps = state?.status === 'ready' ? state.analysis.maps : null;
  const mapsDropped = state?.status === 'ready' && !maps;

  // Maps of photos not seen for a while are dropped to save memory: measure again when shown.
  useEffect(() => {
    if (mapsDropped) void restorePhotoMaps(photo.id);
  }, [mapsDropped, photo.id, restorePhotoMaps]);

  if (photo.status === 'failed') {
    return (
      <div className="photo-view photo-view--failed" role="alert" data-testid="photo-error">
        <p>
          <strong>{photo.name}</strong> could not be used.
        </p>
        <p>{photo.error}</p>
      </div>
    );
  }
  return (
    <figure className="photo-view" data-reader={photo.reader}>
      <div className="photo-view__frame">
        <canvas ref={canvas} aria-label={photo.name} data-testid="photo-canvas" />
        {maps &&
          OVERLAYS.filter((o) => overlays[o.kind]).map((o) => (
            <Overlay key={o.kind} kind={o.kind} map={maps[o.kind]} />
          ))}
        {photo.status === 'ready' && <QualityMapOverlay photoId={photo.id} />}
        <RegionBoxOverlay photoId={photo.id} />
        {photo.status === 'decoding' && <p className="photo-view__status">Reading the photo…</p>}
      </div>
      <RegionNote photoId={photo.id} />
      <div className="photo-view__toggles" role="group" aria-label="Overlays">
        {OVERLAYS.map((o) => (
          <button
            key={o.kind}
            type="button"
            aria-pressed={overlays[o.kind]}
            disabled={!maps}
            title={o.legend}
            onClick={() => toggleOverlay(o.kind)}
          >
            {o.label}
          </button>
        ))}
      </div>
      <figcaption>
        {photo.name}
        {photo.width && photo.height ? ` · ${photo.width} × ${photo.height}` : ''}
        {photo.format ? ` · ${photo.format.toUpperCase()}` : ''}
        {OVERLAYS.filter((o) => overlays[o.kind] && maps).map((o) => (
          <span key={o.kind} className="photo-view__legend">
            {' '}
            · {o.label}: {o.legend}
          </span>
        ))}
      </figcaption>
      {photo.notes.length > 0 && (
        <ul className="photo-view__notes" data-testid="photo-notes">
          {photo.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </figure>
  );
}
