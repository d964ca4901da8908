import { useGroupStrictness } from '../../store/hooks/useGroups.ts';
import { usePhotoList } from '../../store/hooks/usePhotos.ts';
import './Groups.css';

const SIGNAL_WORDS = {
  fingerprint: 'by capture time and the pixels',
  'model+fingerprint': "by capture time, the pixels and the model's features",
} as const;

/**
 * The grouping slider (loose ↔ strict) with how many groups it makes and which signal grouped
 * them: the model's features only join once they agree with the pixels on this shoot.
 */
export function GroupStrictness() {
  const { strictness, setStrictness, signal, groupCount } = useGroupStrictness();
  const photos = usePhotoList();
  if (photos.length < 2) return null;
  // Files that could not be opened are in the list but in no group.
  const usable = photos.filter((p) => p.status !== 'failed').length;
  return (
    <div
      className="group-strictness"
      data-testid="group-strictness"
      data-signal={signal}
      data-groups={groupCount}
    >
      <label className="group-strictness__label">
        <span>Group similar frames</span>
        <span className="group-strictness__scale">
          <span aria-hidden="true">loose</span>
          <input
            type="range"
            min={0}
            max={100}
            step={5}
            value={Math.round(strictness * 100)}
            aria-valuetext={`${Math.round(strictness * 100)} % strict`}
            onChange={(e) => setStrictness(Number(e.currentTarget.value) / 100)}
          />
          <span aria-hidden="true">strict</span>
        </span>
      </label>
      <p className="group-strictness__summary">
        {groupCount} {groupCount === 1 ? 'group' : 'groups'} of {usable}{' '}
        {usable === 1 ? 'photo' : 'photos'}, {SIGNAL_WORDS[signal]}
      </p>
    </div>
  );
}
