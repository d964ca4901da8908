import { COLOR_LABELS, type ColorLabel, type Stars } from '../marks.ts';
import { useHandbackActions, usePhotoMarks } from '../../store/hooks/useHandback.ts';
import './YourVerdict.css';

const STARS: Stars[] = [1, 2, 3, 4, 5];

/**
 * The photographer's own verdict on the photo on screen: pick or reject, 0–5 stars and a colour
 * label, as the hand-back writes them (xmp:Rating, xmp:Label). The same store actions the grid's
 * keyboard shortcuts (P, X, U, 0–5) call.
 */
export function YourVerdict({ photoId }: { photoId: string }) {
  const marks = usePhotoMarks(photoId);
  const { setFlag, setStars, setLabel } = useHandbackActions();
  return (
    <section
      className="your-verdict"
      aria-labelledby="your-verdict-title"
      data-testid="your-verdict"
    >
      <h2 id="your-verdict-title">Your verdict</h2>
      <div className="your-verdict__flags" role="group" aria-label="Flag">
        <button
          type="button"
          aria-pressed={marks.flag === 'pick'}
          onClick={() => setFlag(photoId, marks.flag === 'pick' ? null : 'pick')}
        >
          Pick
        </button>
        <button
          type="button"
          aria-pressed={marks.flag === 'reject'}
          onClick={() => setFlag(photoId, marks.flag === 'reject' ? null : 'reject')}
        >
          Reject
        </button>
      </div>
      <div className="your-verdict__stars" role="group" aria-label="Stars">
        {STARS.map((n) => (
          <button
            key={n}
            type="button"
            aria-pressed={marks.stars === n}
            aria-label={`${n} ${n === 1 ? 'star' : 'stars'}`}
            title={marks.stars === n ? 'Click again for no stars' : undefined}
            onClick={() => setStars(photoId, marks.stars === n ? 0 : n)}
          >
            {n <= marks.stars ? '★' : '☆'}
          </button>
        ))}
      </div>
      <label className="your-verdict__label">
        Colour label{' '}
        <select
          value={marks.label ?? ''}
          onChange={(e) => setLabel(photoId, (e.target.value || null) as ColorLabel | null)}
        >
          <option value="">None</option>
          {COLOR_LABELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}
