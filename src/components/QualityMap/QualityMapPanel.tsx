/**
 * "Show where": asks for the photo's quality map, shows its progress (k of n regions) with Stop,
 * and one legend that sets each region's model score beside the same region's pixel measures,
 * with a sentence on whether the model and the pixels point at the same place. Switching to
 * another photo stops a map under way (what it has stays; Show where starts it again).
 */
import { useEffect } from 'react';
import { regionCount, regionName } from '../../lib/region-grid.ts';
import { describeAgreement, mapExtremes } from '../../model/quality-map.ts';
import {
  useCanMapQuality,
  usePhotoQualityMap,
  useQualityMapActions,
} from '../../store/hooks/useQualityMap.ts';
import { clippedPercent, figure, regionFill } from './regionText.ts';
import './QualityMap.css';

export function QualityMapPanel({ photoId }: { photoId: string }) {
  const map = usePhotoQualityMap(photoId);
  const canMap = useCanMapQuality();
  const { showQualityMap, hideQualityMap, stopQualityMap } = useQualityMapActions();

  useEffect(() => () => stopQualityMap(photoId), [photoId, stopQualityMap]);

  const total = map ? regionCount(map.grid) : 0;
  const done = map?.regions.length ?? 0;
  const running = map?.status === 'running';
  const name = (index: number) => (map ? regionName(map.grid, index) : '');
  const extremes = map ? mapExtremes(map.regions, map.pixels ?? []) : null;
  const marks = (index: number): string[] => {
    if (!extremes || !map || map.status !== 'done') return [];
    const out: string[] = [];
    if (extremes.modelLowest === index) out.push('model lowest');
    if (extremes.softest === index) out.push('softest');
    if (extremes.noisiest === index) out.push('noisiest');
    if (extremes.mostClipped === index) out.push('most clipped');
    return out;
  };

  return (
    <section
      className="quality-map-panel"
      data-testid="quality-map-panel"
      data-status={map?.status ?? 'none'}
      data-ms={map?.ms}
      aria-labelledby="quality-map-title"
    >
      <div className="quality-map-panel__header">
        <h2 id="quality-map-title">Where is it weak?</h2>
        {running ? (
          <button type="button" onClick={() => stopQualityMap(photoId)}>
            Stop
          </button>
        ) : map?.shown && map.status === 'done' ? (
          <button type="button" onClick={() => hideQualityMap(photoId)}>
            Hide map
          </button>
        ) : (
          <button type="button" disabled={!canMap} onClick={() => showQualityMap(photoId)}>
            Show where
          </button>
        )}
      </div>
      {!map && (
        <p className="quality-map-panel__note">
          {canMap
            ? 'Scores each region of the photo with the model, as the whole photo is scored, and sets it beside the pixel measures of the same region.'
            : 'Load the model to map where the photo is weak.'}
        </p>
      )}
      {map && running && (
        <p className="quality-map-panel__status" role="status">
          <progress max={total} value={done} aria-label="Regions scored" />{' '}
          <span data-testid="quality-map-progress">
            {done} of {total} regions
          </span>
        </p>
      )}
      {map?.status === 'stopped' && (
        <p className="quality-map-panel__status" role="status">
          Stopped after {done} of {total} regions. Show where starts it again.
        </p>
      )}
      {map?.status === 'failed' && (
        <p className="quality-map-panel__status" role="alert">
          The map could not be made: {map.error}
        </p>
      )}
      {map?.shown && map.status === 'done' && (
        <>
          <p className="quality-map-panel__agreement" data-testid="quality-map-agreement">
            {describeAgreement(name, map.regions, map.pixels ?? [])}
          </p>
          <table className="quality-map-panel__table" data-testid="quality-map-legend">
            <caption className="quality-map-panel__note">
              Each region scored by the model as a photo of its own (1–5, red low, green high),
              beside its pixel measures.{map.ms ? ` ${(map.ms / 1000).toFixed(1)} s.` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Region</th>
                <th scope="col">Model (1–5)</th>
                <th scope="col">Sharpness</th>
                <th scope="col">Noise σ</th>
                <th scope="col">Clipped</th>
                <th scope="col">Stands out</th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: total }, (_, index) => {
                const region = map.regions.find((r) => r.index === index);
                const pixels = map.pixels?.find((p) => p.index === index);
                const marked = marks(index);
                return (
                  <tr
                    key={index}
                    data-testid="quality-map-legend-row"
                    data-index={index}
                    data-score={region?.score}
                    data-sharpness={pixels?.sharpness}
                    data-noise={pixels?.noiseSigma}
                    data-clipped={pixels ? pixels.highlights + pixels.shadows : undefined}
                    data-marked={marked.length > 0}
                  >
                    <th scope="row">{name(index)}</th>
                    <td>
                      {region && (
                        <span
                          className="quality-map-panel__swatch"
                          style={{ background: regionFill(region.score) }}
                          aria-hidden="true"
                        />
                      )}
                      {figure(region?.score, 2)}
                    </td>
                    <td>{figure(pixels?.sharpness)}</td>
                    <td>{figure(pixels?.noiseSigma)}</td>
                    <td>{clippedPercent(pixels)}</td>
                    <td>{marked.join(', ')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {!map.pixels && (
            <p className="quality-map-panel__note">
              The pixel measures of the regions are not available.
            </p>
          )}
        </>
      )}
    </section>
  );
}
