/**
 * The model's verdict on two photos side by side: for quality overall and per attribute, the
 * probability that the left photo is better, asked with it first and with it second, their mean,
 * and a notice when the two orders disagree; then the reason, streamed.
 */
import {
  COMPARE_QUESTIONS,
  preferredSide,
  type CompareAspect,
  type PairPreference,
} from '../../model/compare.ts';
import { usePhoto } from '../../store/hooks/usePhotos.ts';
import {
  useCompareActions,
  useModelReady,
  usePairComparison,
} from '../../store/hooks/useComparison.ts';
import './CompareVerdict.css';

const percent = (p: number) => `${(p * 100).toFixed(0)} %`;
const labelOf = (aspect: CompareAspect) =>
  COMPARE_QUESTIONS.find((q) => q.aspect === aspect)?.label ?? aspect;

function Row({ preference, names }: { preference: PairPreference; names: [string, string] }) {
  const side = preferredSide(preference.average);
  const verdict = side === 'a' ? names[0] : side === 'b' ? names[1] : 'Too close to call';
  return (
    <tr
      data-testid="compare-preference"
      data-aspect={preference.aspect}
      data-a-first={preference.aFirst}
      data-b-first={preference.bFirst}
      data-average={preference.average}
      data-disagree={preference.disagree}
    >
      <th scope="row">{labelOf(preference.aspect)}</th>
      <td data-testid="compare-a-first">{percent(preference.aFirst)}</td>
      <td data-testid="compare-b-first">{percent(preference.bFirst)}</td>
      <td data-testid="compare-average">
        <strong>{percent(preference.average)}</strong> {verdict}
        {preference.disagree && (
          <span className="compare-verdict__disagree" data-testid="compare-disagree">
            {' '}
            — the two orders disagree ({percent(preference.aFirst)} vs {percent(preference.bFirst)}
            ): the model leans towards the photo it sees{' '}
            {preference.firstSlotLean > 0 ? 'first' : 'second'}; trust this row less.
          </span>
        )}
      </td>
    </tr>
  );
}

export function CompareVerdict({ pair }: { pair: [string, string] }) {
  const [a, b] = pair;
  const comparison = usePairComparison(a, b);
  const ready = useModelReady();
  const { compareWithModel, stopComparison } = useCompareActions();
  const nameA = usePhoto(a)?.name ?? 'left';
  const nameB = usePhoto(b)?.name ?? 'right';
  const busy = comparison?.status === 'waiting' || comparison?.status === 'running';

  return (
    <section
      className="compare-verdict"
      aria-labelledby="compare-verdict-heading"
      data-testid="compare-verdict"
      data-status={comparison?.status ?? 'none'}
    >
      <h2 id="compare-verdict-heading">Which is better? Ask the model</h2>
      <p className="compare-verdict__how">
        Both photos go into one prompt; the model is asked with {nameA} first, then with {nameB}{' '}
        first, and the two answers are averaged.
      </p>
      <div className="compare-verdict__actions">
        {busy ? (
          <button type="button" onClick={() => stopComparison(a, b)}>
            Stop comparing
          </button>
        ) : (
          <button type="button" disabled={!ready} onClick={() => compareWithModel(a, b)}>
            {comparison ? 'Compare again' : 'Compare with the model'}
          </button>
        )}
        {!ready && <span className="compare-verdict__note">Load the model to compare.</span>}
        {busy && (
          <span role="status" className="compare-verdict__note">
            Comparing… {comparison.preferences.length} of {COMPARE_QUESTIONS.length} questions
          </span>
        )}
        {comparison?.status === 'stopped' && (
          <span className="compare-verdict__note">Stopped.</span>
        )}
      </div>
      {comparison?.status === 'failed' && comparison.error && (
        <p role="alert" className="compare-verdict__error">
          {comparison.error.message} {comparison.error.advice}
        </p>
      )}
      {comparison && comparison.preferences.length > 0 && (
        <table className="compare-verdict__table" data-testid="compare-table">
          <caption>Probability that {nameA} (left) is the better one</caption>
          <thead>
            <tr>
              <th scope="col">Question</th>
              <th scope="col">{nameA} shown first</th>
              <th scope="col">{nameB} shown first</th>
              <th scope="col">Both orders</th>
            </tr>
          </thead>
          <tbody>
            {comparison.preferences.map((p) => (
              <Row key={p.aspect} preference={p} names={[nameA, nameB]} />
            ))}
          </tbody>
        </table>
      )}
      {comparison?.result && (
        <p
          className="compare-verdict__note"
          data-testid="compare-cost"
          data-total-ms={comparison.result.timings.totalMs}
        >
          {(comparison.result.timings.totalMs / 1000).toFixed(1)} s for{' '}
          {comparison.result.preferences.length * 2} prompts of {comparison.result.promptTokens}{' '}
          tokens ({comparison.result.imageTokensPerPhoto} per photo
          {comparison.result.newlineRow ? ', its base view plus one newline row' : ''}); each
          continued from the pair’s cached start where it could.
        </p>
      )}
      {comparison && comparison.reason && (
        <p className="compare-verdict__reason" data-testid="compare-reason" aria-live="polite">
          <span className="compare-verdict__reason-label">
            Why ({nameA} shown first, “First” = {nameA}):
          </span>{' '}
          {comparison.reason}
        </p>
      )}
    </section>
  );
}
