import { useEffect, useRef } from 'react';
import { formatBox, type BoxConfidence } from '../../model/grounding.ts';
import type { RegionAsk } from '../../store/groundingSlice.ts';
import { usePhotoRegion, useRegionActions } from '../../store/hooks/useRegion.ts';
import './RegionBox.css';

/** A probability in words that stays readable when it is tiny: 62 %, 0.4 %, 1.2e-5. */
export function formatProbability(p: number): string {
  if (!Number.isFinite(p)) return '?';
  if (p >= 0.1) return `${(p * 100).toFixed(0)} %`;
  if (p >= 0.001) return `${(p * 100).toFixed(1)} %`;
  return p.toExponential(1);
}

function confidenceText(c: BoxConfidence): string {
  return (
    `The model gave these ${c.tokens} tokens ${formatProbability(c.perToken)} each on average ` +
    `(their product, the chance it writes exactly this box by itself: ${formatProbability(c.joint)}); ` +
    `${formatProbability(c.formatMass)} of its probability went to what the coordinate format allowed.`
  );
}

/**
 * The box a grounded answer drew, over the photo (inside the photo's frame). Coordinates are
 * fractions of the photo's width and height, so the box follows the photo at any display size.
 */
export function RegionBoxOverlay({ photoId }: { photoId: string }) {
  const region = usePhotoRegion(photoId);
  const element = useRef<HTMLDivElement>(null);
  const box = region?.status === 'done' && region.reading?.kind === 'box' ? region.reading : null;
  // Asked from the panel or the chat further down: bring the box into view once drawn.
  useEffect(() => {
    if (box) element.current?.scrollIntoView?.({ block: 'nearest' });
  }, [box]);
  if (!region || region.status !== 'done' || region.reading?.kind !== 'box') return null;
  const { x1, y1, x2, y2 } = region.reading.box;
  const sure = region.confidence ? ` · ${formatProbability(region.confidence.perToken)}` : '';
  return (
    <div
      ref={element}
      className="region-box"
      data-testid="region-box"
      data-box={JSON.stringify(region.reading.box)}
      style={{
        left: `${x1 * 100}%`,
        top: `${y1 * 100}%`,
        width: `${(x2 - x1) * 100}%`,
        height: `${(y2 - y1) * 100}%`,
      }}
      role="img"
      aria-label={`Box on the photo: ${region.label}`}
    >
      <span className="region-box__label" aria-hidden="true">
        {region.label}
        {sure}
      </span>
    </div>
  );
}

function noteText(region: RegionAsk): string {
  if (region.status === 'running') return `Asking the model for a box: ${region.asked}…`;
  if (region.status === 'stopped') return 'Stopped before the model wrote a box.';
  if (region.status === 'failed') {
    return `No box: ${region.error?.message ?? 'the model call failed.'} ${region.error?.advice ?? ''}`.trim();
  }
  const reading = region.reading;
  if (reading?.kind === 'box') {
    const where = `${region.label}: the box ${formatBox(reading.box)} marks ${region.asked}.`;
    return region.confidence
      ? `${where} ${confidenceText(region.confidence)}`
      : `${where} Read from the chat answer (free text): no confidence is measured for it.`;
  }
  return `No box drawn: ${reading?.message ?? 'no answer.'} The answer is shown as text only.`;
}

/** Below the photo: what the box shows and how sure the model was, or why there is no box. */
export function RegionNote({ photoId }: { photoId: string }) {
  const region = usePhotoRegion(photoId);
  const { hideRegion } = useRegionActions();
  if (!region) return null;
  const drawn = region.status === 'done' && region.reading?.kind === 'box';
  return (
    <div
      className="region-note"
      data-testid="region-note"
      data-status={region.status}
      data-outcome={region.status === 'done' ? (drawn ? 'box' : 'none') : region.status}
      data-per-token={region.confidence?.perToken}
      data-joint={region.confidence?.joint}
      role="status"
    >
      <p>{noteText(region)}</p>
      <button type="button" onClick={() => hideRegion(photoId)}>
        {region.status === 'running' ? 'Stop' : drawn ? 'Hide box' : 'Dismiss'}
      </button>
    </div>
  );
}
