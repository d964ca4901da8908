import type { ExifSummary } from '../../pixels/client.ts';
import { useGpsRevealed } from '../../store/hooks/useGpsRevealed.ts';
import { usePixelActions } from '../../store/hooks/useOverlays.ts';
import './ExifPanel.css';
import { cameraLine, exposureLine, focalLine, takenLine } from './exifText.ts';

/** Camera facts from EXIF; the GPS position stays hidden until the person asks to see it. */
export function ExifPanel({
  photoId,
  exif,
}: {
  photoId: string;
  exif: ExifSummary | null | undefined;
}) {
  const gpsShown = useGpsRevealed(photoId);
  const { revealGps } = usePixelActions();
  if (!exif) {
    return (
      <section className="exif-panel" aria-label="Camera information">
        <h3>Camera</h3>
        <p className="exif-panel__none">No camera information (EXIF) in this file.</p>
      </section>
    );
  }
  const rows: [string, string | null | undefined][] = [
    ['Camera', cameraLine(exif)],
    ['Lens', exif.lens],
    ['Exposure', exposureLine(exif)],
    ['Focal length', focalLine(exif)],
    ['Taken', takenLine(exif.taken)],
    ['Flash', exif.flashFired === undefined ? null : exif.flashFired ? 'Fired' : 'Did not fire'],
    ['Software', exif.software],
  ];
  return (
    <section className="exif-panel" aria-label="Camera information">
      <h3>Camera</h3>
      <dl>
        {rows
          .filter((row): row is [string, string] => Boolean(row[1]))
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        {exif.gps && (
          <div>
            <dt>Location</dt>
            <dd>
              {gpsShown ? (
                <>
                  <span data-testid="gps-position">
                    {exif.gps.latitude.toFixed(5)}, {exif.gps.longitude.toFixed(5)}
                  </span>{' '}
                  <button
                    type="button"
                    className="exif-panel__link"
                    onClick={() => revealGps(photoId, false)}
                  >
                    Hide
                  </button>
                </>
              ) : (
                <button
                  type="button"
                  className="exif-panel__link"
                  onClick={() => revealGps(photoId, true)}
                >
                  Show where this was taken
                </button>
              )}
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
}
