import type { HandbackPlan } from '../handback.ts';

/** What the chosen profile will write, in counts, and the photos it does not cover, with why. */
export function ExportCounts({
  plan,
  photoCount,
  copies,
}: {
  plan: HandbackPlan;
  photoCount: number;
  copies: boolean;
}) {
  const merged = plan.sidecars.filter((s) => s.existing).length;
  return (
    <div className="export-counts" data-testid="export-counts">
      <p>
        {photoCount} photos:{' '}
        <strong data-testid="export-sidecar-count">{plan.sidecars.length}</strong> XMP sidecars
        {merged > 0 && ` (${merged} merged into the sidecars that came with the shoot)`}
        {plan.copies.length > 0 && (
          <>
            , <strong data-testid="export-copy-count">{plan.copies.length}</strong> tagged JPEG
            copies{!copies && ' (if you tick them below)'}
          </>
        )}
        ; a CSV and a JSON report.
      </p>
      {plan.uncovered.length > 0 && (
        <details>
          <summary>{plan.uncovered.length} photos get no XMP with this profile</summary>
          <ul>
            {plan.uncovered.map((u) => (
              <li key={u.photoId}>
                {u.name}: {u.why}.
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
