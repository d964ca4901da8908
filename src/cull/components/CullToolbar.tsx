/** The shoot's view switcher, sort and filters, and how many photos the filter lets through. */
import { LABELS } from '../../components/PixelAnalysis/measureRows.ts';
import { useCullActions, useViewSettings } from '../../store/hooks/useCullView.ts';
import { isFilterOff, type CullFilter, type SortKey, type ViewMode } from '../view.ts';

const MODES: { mode: ViewMode; label: string; key: string }[] = [
  { mode: 'grid', label: 'Grid', key: 'G' },
  { mode: 'loupe', label: 'Loupe', key: 'E' },
  { mode: 'compare', label: 'Compare', key: 'C' },
];

const SORTS: { key: SortKey; label: string }[] = [
  { key: 'added', label: 'Order added' },
  { key: 'score', label: 'Score' },
  { key: 'taken', label: 'Capture time' },
  { key: 'name', label: 'File name' },
  ...LABELS.map(([key, label]) => ({ key: `measure:${key}` as SortKey, label })),
];

const CHECKS: { key: keyof CullFilter; label: string }[] = [
  { key: 'picked', label: 'Picked' },
  { key: 'rejected', label: 'Rejected' },
  { key: 'blurry', label: 'Blurry' },
  { key: 'clipped', label: 'Clipped highlights' },
  { key: 'bestOnly', label: 'Best of each group only' },
];

/** One end of the score filter: a score from 1 to 5 in tenths. */
function ScoreBound({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: number;
  onChange(value: string): void;
  testId: string;
}) {
  return (
    <label>
      {label}{' '}
      <input
        type="number"
        min={1}
        max={5}
        step={0.1}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      />
    </label>
  );
}

/** "40 photos", "12 of 40 photos", and "· 2 files could not be opened" after either. */
export function countText({
  photos,
  shown,
  failed,
}: {
  photos: number;
  shown: number;
  failed: number;
}) {
  const noun = photos === 1 ? 'photo' : 'photos';
  const count = shown === photos ? `${photos} ${noun}` : `${shown} of ${photos} ${noun}`;
  if (failed === 0) return count;
  return `${count} · ${failed} ${failed === 1 ? 'file' : 'files'} could not be opened`;
}

export function CullToolbar({
  mode,
  counts,
  onMode,
}: {
  mode: ViewMode;
  /** Photos in all and shown, and files that could not be opened (not counted as photos). */
  counts: { photos: number; shown: number; failed: number };
  onMode(mode: ViewMode): void;
}) {
  const { sort, filter } = useViewSettings();
  const { setSort, setFilter, clearFilter, setHelpOpen } = useCullActions();
  const score = (end: 'scoreMin' | 'scoreMax', value: string) => {
    const n = Number(value);
    if (value !== '' && Number.isFinite(n)) setFilter({ [end]: Math.min(5, Math.max(1, n)) });
  };
  return (
    <div className="cull-toolbar" data-testid="cull-toolbar">
      <div className="cull-toolbar__modes" role="group" aria-label="View">
        {MODES.map((m) => (
          <button
            key={m.mode}
            type="button"
            aria-pressed={mode === m.mode}
            onClick={() => onMode(m.mode)}
            aria-keyshortcuts={m.key}
          >
            {m.label} <kbd aria-hidden="true">{m.key}</kbd>
          </button>
        ))}
      </div>
      <label className="cull-toolbar__sort">
        Sort by{' '}
        <select
          value={sort.key}
          onChange={(e) => setSort(e.target.value as SortKey)}
          data-testid="sort-key"
        >
          {SORTS.map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        onClick={() => setSort(sort.key, !sort.descending)}
        data-testid="sort-direction"
      >
        {sort.descending ? 'High to low ↓' : 'Low to high ↑'}
      </button>
      <fieldset className="cull-toolbar__filters">
        <legend>Show only</legend>
        {CHECKS.map((c) => (
          <label key={c.key}>
            <input
              type="checkbox"
              checked={filter[c.key] as boolean}
              onChange={(e) => setFilter({ [c.key]: e.target.checked })}
              data-testid={`filter-${c.key}`}
            />{' '}
            {c.label}
          </label>
        ))}
        <ScoreBound
          label="Score from"
          value={filter.scoreMin}
          onChange={(v) => score('scoreMin', v)}
          testId="filter-score-min"
        />
        <ScoreBound
          label="to"
          value={filter.scoreMax}
          onChange={(v) => score('scoreMax', v)}
          testId="filter-score-max"
        />
        {!isFilterOff(filter) && (
          <button type="button" onClick={clearFilter}>
            Show all
          </button>
        )}
      </fieldset>
      <p className="cull-toolbar__count" role="status" data-testid="shown-count">
        {countText(counts)}
      </p>
      <button type="button" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
        Keyboard shortcuts <kbd aria-hidden="true">?</kbd>
      </button>
    </div>
  );
}
