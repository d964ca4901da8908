/**
 * The quality map over the photo: one translucent cell per region, coloured by the model's score
 * with the score printed on it; hovering or focusing a cell (it is a button, so Tab reaches it)
 * shows that region's model score and pixel measures.
 */
import { regionCount, regionName, regionRect } from '../../lib/region-grid.ts';
import { usePhotoQualityMap } from '../../store/hooks/useQualityMap.ts';
import { regionFill, regionSummary } from './regionText.ts';
import './QualityMap.css';

const percent = (value: number) => `${(value * 100).toFixed(4)}%`;

export function QualityMapOverlay({ photoId }: { photoId: string }) {
  const map = usePhotoQualityMap(photoId);
  if (!map?.shown) return null;
  const { grid } = map;
  // Cells are placed as fractions of the frame: the same cut as the workers made, at any size.
  const unit = 10_000;
  return (
    <div
      className="quality-map"
      data-testid="quality-map"
      data-status={map.status}
      data-grid={`${grid.columns}×${grid.rows}`}
      role="group"
      aria-label="Quality map: the model's score of each region"
    >
      {Array.from({ length: regionCount(grid) }, (_, index) => {
        const rect = regionRect(grid, index, unit, unit);
        const region = map.regions.find((r) => r.index === index);
        const pixels = map.pixels?.find((p) => p.index === index);
        const name = regionName(grid, index);
        const summary = regionSummary(name, region, pixels);
        return (
          <button
            key={index}
            type="button"
            className="quality-map__cell"
            data-testid="quality-map-region"
            data-index={index}
            data-score={region?.score}
            data-probabilities={region ? JSON.stringify(region.probabilities) : undefined}
            data-encode-ms={region?.timings.encodeMs}
            data-prefill-ms={region?.timings.prefillMs}
            data-total-ms={region?.timings.totalMs}
            aria-label={summary}
            style={{
              left: percent(rect.x / unit),
              top: percent(rect.y / unit),
              width: percent(rect.width / unit),
              height: percent(rect.height / unit),
              background: region ? regionFill(region.score) : 'transparent',
            }}
          >
            <span className="quality-map__score" aria-hidden="true">
              {region ? region.score.toFixed(1) : '…'}
            </span>
            <span className="quality-map__tip" aria-hidden="true">
              {summary}
            </span>
          </button>
        );
      })}
    </div>
  );
}
