import { useGroupOf } from '../../store/hooks/useGroups.ts';
import { usePhotoActions } from '../../store/hooks/usePhotos.ts';
import './Groups.css';

/**
 * Under the photo on screen: its group (burst or near-duplicates) and the group's choice with its
 * one-line reason, or a way to the choice when this is not it.
 */
export function GroupNote({ photoId }: { photoId: string }) {
  const group = useGroupOf(photoId);
  const { selectPhoto } = usePhotoActions();
  if (!group || group.size < 2) return null;
  const who = group.byPhotographer ? 'Your pick' : 'Best';
  return (
    <p
      className="group-note"
      data-testid="group-note"
      data-group={group.groupId}
      data-best={group.isBest ? 'true' : 'false'}
    >
      {group.isBest ? (
        <>
          <strong>
            {who} of {group.size} similar frames
          </strong>
          {group.reason && !group.byPhotographer ? `: ${group.reason}.` : '.'}
        </>
      ) : (
        <>
          One of {group.size} similar frames.{' '}
          {group.bestPhotoId && (
            <>
              {who}:{' '}
              <button
                type="button"
                className="group-note__best"
                onClick={() => selectPhoto(group.bestPhotoId!)}
              >
                {group.bestName}
              </button>
              {group.reason && !group.byPhotographer ? ` (${group.reason}).` : '.'}
            </>
          )}
        </>
      )}
    </p>
  );
}
