import { LEVELS } from '../../model/recipes.ts';
import './LevelBars.css';

/** The five level probabilities, excellent … bad, as labelled bars. */
export function LevelBars({ probabilities }: { probabilities: readonly number[] }) {
  return (
    <ul className="level-bars" aria-label="Probability of each quality level">
      {LEVELS.map((level, i) => {
        const p = probabilities[i] ?? 0;
        return (
          <li
            key={level.key}
            className={`level-bars__row level-bars__row--${level.key}`}
            data-level={level.key}
          >
            <span className="level-bars__label">{level.label}</span>
            <span
              className="level-bars__track"
              role="meter"
              aria-valuemin={0}
              aria-valuemax={1}
              aria-valuenow={p}
              aria-label={`${level.label} probability`}
            >
              <span className="level-bars__fill" style={{ width: `${(p * 100).toFixed(1)}%` }} />
            </span>
            <span className="level-bars__value">{(p * 100).toFixed(1)}%</span>
          </li>
        );
      })}
    </ul>
  );
}
