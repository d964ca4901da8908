import { useWorkProgress } from '../../store/hooks/useWorkProgress.ts';
import './WorkProgress.css';

/**
 * One line for the whole batch instead of a spinner per photo: how many are opened, measured and
 * scored. Photos are worked through a few at a time, the one on screen first.
 */
export function WorkProgress() {
  const p = useWorkProgress();
  if (p.total < 2) return null;
  const usable = p.total - p.failed;
  const busy = p.opened < p.total || p.measured < usable || p.scored < usable;
  return (
    <section
      className="work-progress"
      data-testid="work-progress"
      data-total={p.total}
      data-opened={p.opened}
      data-measured={p.measured}
      data-scored={p.scored}
      data-failed={p.failed}
      aria-live="polite"
    >
      <p>
        <strong>{p.total} photos</strong> · {p.measured} measured · {p.scored} scored
        {p.failed > 0 && ` · ${p.failed} could not be opened`}
      </p>
      {busy && (
        <progress
          max={Math.max(1, usable * 2)}
          value={p.measured + p.scored}
          aria-label="Photos measured and scored"
        />
      )}
      {p.waitingForModel > 0 && (
        <p className="work-progress__note">
          {p.waitingForModel} waiting for the model; they are scored as soon as it is loaded.
        </p>
      )}
    </section>
  );
}
