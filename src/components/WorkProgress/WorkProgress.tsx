import { formatTimeLeft } from '../../lib/throughput.ts';
import { useQueueActions, useWorkProgress } from '../../store/hooks/useWorkProgress.ts';
import './WorkProgress.css';

/**
 * One line for the whole batch instead of a spinner per photo: how many are done (measured and
 * scored, or could not be opened) of how many, at how many photos a minute, how long is left, and
 * a button to pause and resume. Pixels go first for every photo, scores behind them, the one on
 * screen first. The data attributes are what the e2e journeys read.
 */
export function WorkProgress() {
  const p = useWorkProgress();
  const { pauseQueue, resumeQueue } = useQueueActions();
  if (p.total < 2) return null;
  const usable = p.total - p.failed;
  const busy = p.done < p.total;
  return (
    <section
      className="work-progress"
      data-testid="work-progress"
      data-total={p.total}
      data-opened={p.opened}
      data-measured={p.measured}
      data-scored={p.scored}
      data-failed={p.failed}
      data-done={p.done}
      data-restored={p.restored}
      data-paused={p.paused}
      data-measures-run={p.measuresRun}
      data-scores-run={p.scoresRun}
      data-score-list={p.scoreList}
      aria-live="polite"
    >
      <p>
        <strong>
          {p.done} of {p.total} photos done
        </strong>{' '}
        · {p.measured} measured · {p.scored} scored
        {p.failed > 0 && ` · ${p.failed} could not be opened`}
        {p.restored > 0 && ` · ${p.restored} from an earlier visit`}
      </p>
      {/* The bar and the pace line stay when the work is done, so the photo list below does not
          jump up under the pointer at the moment the last photo finishes. */}
      <progress max={p.total} value={p.done} aria-label="Photos done" />
      <p className="work-progress__pace">
        {!busy
          ? 'All done.'
          : p.paused
            ? 'Paused: work under way finishes, and the photo on screen is still worked on.'
            : p.perMinute !== null
              ? `${Math.round(p.perMinute)} photos a minute · ${formatTimeLeft(p.timeLeftMs ?? 0)}`
              : 'Working out the pace…'}{' '}
        {busy && (
          <button
            type="button"
            onClick={p.paused ? resumeQueue : pauseQueue}
            data-testid="queue-toggle"
          >
            {p.paused ? 'Resume' : 'Pause'}
          </button>
        )}
      </p>
      {p.waitingForModel > 0 && usable > 0 && (
        <p className="work-progress__note">
          {p.waitingForModel} waiting for the model; they are scored as soon as it is loaded.
        </p>
      )}
    </section>
  );
}
