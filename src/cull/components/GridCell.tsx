/** One photo in the shoot's grid: thumbnail, score and level, the person's marks and the warnings. */
import { memo } from 'react';
import { COLOR_LABELS } from '../marks.ts';
import { pixelFlags, type MeasureKey } from '../view.ts';
import { LEVELS } from '../../model/recipes.ts';
import { verdictForScore } from '../../model/verdict.ts';
import type { Verdict } from '../../pixels/protocol.ts';
import { usePhotoScore } from '../../store/hooks/useModel.ts';
import { usePixelAnalysis } from '../../store/hooks/usePixelAnalysis.ts';
import { useBestOfGroupReason, usePhotoMarks } from '../../store/hooks/useCullView.ts';
import { useGroupOf } from '../../store/hooks/useGroups.ts';
import { usePhoto } from '../../store/hooks/usePhotos.ts';

export const GridCell = memo(function GridCell({
  photoId,
  column,
  selected,
  onSelect,
  onOpen,
}: {
  photoId: string;
  column: number;
  selected: boolean;
  onSelect(photoId: string): void;
  onOpen(photoId: string): void;
}) {
  const photo = usePhoto(photoId);
  const score = usePhotoScore(photoId);
  const pixels = usePixelAnalysis(photoId);
  const marks = usePhotoMarks(photoId);
  const best = useBestOfGroupReason(photoId);
  const group = useGroupOf(photoId);
  if (!photo) return null;
  const result = score?.status === 'done' ? score.result : undefined;
  const level = result ? LEVELS.find((l) => l.key === verdictForScore(result.score))! : null;
  const verdicts =
    pixels?.status === 'ready'
      ? (Object.fromEntries(
          Object.entries(pixels.analysis.measures).map(([k, m]) => [k, m.verdict]),
        ) as Partial<Record<MeasureKey, Verdict>>)
      : null;
  const flags = pixelFlags(verdicts);
  const warnings = [
    flags.blurry && { key: 'blurry', text: 'Blurry' },
    flags.clipped && { key: 'clipped', text: 'Clipped highlights' },
    flags.noisy && { key: 'noisy', text: 'Noisy' },
  ].filter((w): w is { key: string; text: string } => Boolean(w));
  const scoreText =
    photo.status === 'failed'
      ? 'Could not be opened'
      : result
        ? result.score.toFixed(2)
        : score?.status === 'failed'
          ? 'Not scored'
          : 'Scoring…';

  return (
    <div
      role="gridcell"
      aria-colindex={column + 1}
      aria-selected={selected}
      tabIndex={selected ? 0 : -1}
      className={`grid-cell${selected ? ' grid-cell--selected' : ''}${marks.flag ? ` grid-cell--${marks.flag}` : ''}`}
      data-testid="grid-cell"
      data-photo-id={photoId}
      data-name={photo.name}
      data-score={result ? result.score.toFixed(2) : ''}
      data-flag={marks.flag ?? ''}
      data-stars={marks.stars}
      data-label={marks.label ?? ''}
      data-group={group?.groupId ?? ''}
      data-group-best={group?.isBest ? 'true' : 'false'}
      onClick={() => onSelect(photoId)}
      onDoubleClick={() => onOpen(photoId)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen(photoId);
      }}
    >
      <div className="grid-cell__thumb">
        {photo.thumbUrl ? (
          <img src={photo.thumbUrl} alt="" draggable={false} decoding="async" />
        ) : (
          <span className="grid-cell__placeholder">
            {photo.status === 'failed' ? 'Not a photo' : 'Opening…'}
          </span>
        )}
        {marks.flag && (
          <span
            className={`grid-cell__flag grid-cell__flag--${marks.flag}`}
            data-testid="cell-flag"
          >
            {marks.flag === 'pick' ? 'Pick' : 'Rejected'}
          </span>
        )}
      </div>
      <span className="grid-cell__name" title={photo.name}>
        {photo.name}
      </span>
      <span className="grid-cell__score">
        <span data-testid="cell-score">{scoreText}</span>
        {level && (
          <span className={`grid-cell__level grid-cell__level--${level.key}`}>{level.label}</span>
        )}
      </span>
      <span className="grid-cell__marks">
        <span
          className="grid-cell__stars"
          data-testid="cell-stars"
          role="img"
          aria-label={`${marks.stars} ${marks.stars === 1 ? 'star' : 'stars'}`}
        >
          {'★'.repeat(marks.stars)}
          <span aria-hidden="true" className="grid-cell__no-stars">
            {'☆'.repeat(5 - marks.stars)}
          </span>
        </span>
        {marks.label && (
          <span
            className={`grid-cell__label grid-cell__label--${COLOR_LABELS.indexOf(marks.label)}`}
            data-testid="cell-label"
          >
            {marks.label}
          </span>
        )}
      </span>
      {(warnings.length > 0 || (group && group.size > 1)) && (
        <span className="grid-cell__warnings">
          {warnings.map((w) => (
            <span key={w.key} className="grid-cell__warning" data-testid={`cell-${w.key}`}>
              {w.text}
            </span>
          ))}
          {best && group && group.size > 1 && (
            <span className="grid-cell__best" data-testid="cell-best" title={best}>
              Best of group
            </span>
          )}
          {group && group.size > 1 && (
            <span className="grid-cell__group" data-testid="cell-group">
              {group.size} similar
            </span>
          )}
        </span>
      )}
    </div>
  );
});
