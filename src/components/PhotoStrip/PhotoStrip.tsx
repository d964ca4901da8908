import { memo } from 'react';
import type { PhotoRecord } from '../../photos/types.ts';
import { useGroupOf } from '../../store/hooks/useGroups.ts';
import { usePhotoScore } from '../../store/hooks/useModel.ts';
import { usePhotoActions, usePhotoList, useSelectedPhoto } from '../../store/hooks/usePhotos.ts';
import '../Groups/Groups.css';
import './PhotoStrip.css';

/** One photo in the strip; re-rendered only when its own record, score or selection changes. */
const StripItem = memo(function StripItem({
  photo,
  selected,
}: {
  photo: PhotoRecord;
  selected: boolean;
}) {
  const score = usePhotoScore(photo.id);
  const group = useGroupOf(photo.id);
  const { selectPhoto, removePhoto } = usePhotoActions();
  const badge =
    photo.status === 'failed'
      ? '!'
      : score?.status === 'done' && score.result
        ? score.result.score.toFixed(1)
        : '…';
  return (
    <li
      className={`photo-strip__item${selected ? ' photo-strip__item--selected' : ''}`}
      data-testid="strip-item"
      data-status={photo.status}
      data-name={photo.name}
      data-group={group?.groupId}
      data-group-best={group ? String(group.isBest) : undefined}
      data-score={score?.status === 'done' ? score.result?.score : undefined}
      title={photo.status === 'failed' ? photo.error : undefined}
    >
      <button
        type="button"
        className="photo-strip__select"
        onClick={() => selectPhoto(photo.id)}
        aria-pressed={selected}
        title={photo.name}
      >
        {photo.thumbUrl ? (
          <img src={photo.thumbUrl} alt="" />
        ) : (
          <span className="photo-strip__placeholder">
            {photo.status === 'failed' ? 'Not a photo' : 'Opening…'}
          </span>
        )}
        <span className="photo-strip__name">{photo.name}</span>
        {group && group.size > 1 && (
          <span
            className={`group-badge${group.isBest ? ' group-badge--best' : ''}`}
            title={
              group.isBest
                ? `Best of ${group.size}: ${group.reason}`
                : `One of ${group.size} similar frames`
            }
          >
            {group.isBest ? '★' : ''}
            {group.size}
          </span>
        )}
        <span className={`photo-strip__badge photo-strip__badge--${photo.status}`}>{badge}</span>
      </button>
      <button
        type="button"
        className="photo-strip__remove"
        aria-label={`Remove ${photo.name}`}
        onClick={() => removePhoto(photo.id)}
      >
        ×
      </button>
    </li>
  );
});

/** Every photo added so far, with its score; click to reopen its result. */
export function PhotoStrip() {
  const photos = usePhotoList();
  const selected = useSelectedPhoto();
  if (photos.length === 0) return null;
  return (
    <div className="photo-strip-area">
      <ul className="photo-strip" aria-label="Photos">
        {photos.map((photo) => (
          <StripItem key={photo.id} photo={photo} selected={photo.id === selected?.id} />
        ))}
      </ul>
    </div>
  );
}
