import { useEffect, useMemo, useRef, useState } from 'react';
import { downloadBlob } from '../../share/download.ts';
import { useExportState, useHandbackActions } from '../../store/hooks/useHandback.ts';
import { handbackPhotos, reportPhotos } from '../export-source.ts';
import {
  planHandback,
  PROFILES,
  renderEach,
  renderHandback,
  type EditorProfile,
} from '../handback.ts';
import {
  canWriteToFolder,
  mayWriteFolder,
  pickShootFolder,
  SIDECARS_ZIP,
  writeIntoFolder,
  zipHandback,
} from '../outputs.ts';
import { reportCsv, reportJson } from '../report.ts';
import { ExportCounts } from './ExportCounts.tsx';
import './ExportDialog.css';

/** The report files' names. */
export const REPORT_CSV = 'quality-lens-report.csv';
export const REPORT_JSON = 'quality-lens-report.json';

type Outcome = { message: string; problems: string[] } | null;

/**
 * Hand the cull back to the editor: the profile, what will be written, and the ways out (the
 * shoot's folder after a confirmation, a zip, the CSV and JSON reports). A native modal <dialog>:
 * it traps focus, Esc closes it, and focus returns to the button that opened it.
 */
export function ExportDialog({
  onClose,
  folder,
}: {
  onClose: () => void;
  /** The shoot's folder when the ingest kept its handle; otherwise the person picks it. */
  folder?: FileSystemDirectoryHandle | null;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const state = useExportState();
  const { photoFile } = useHandbackActions();
  const [profile, setProfile] = useState<EditorProfile>('adobe');
  // Opt-in: each copy is a whole photo again, held in memory until written.
  const [copies, setCopies] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const photos = useMemo(() => handbackPhotos(state), [state]);
  const plan = useMemo(() => planHandback(photos, profile), [photos, profile]);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const byId = () => new Map(photos.map((p) => [p.id, p]));
  const options = {
    copies,
    photoBytes: async (id: string) => {
      const file = photoFile(id);
      return file ? new Uint8Array(await file.arrayBuffer()) : null;
    },
  };

  const run = async (what: () => Promise<Outcome>) => {
    setBusy(true);
    try {
      setOutcome(await what());
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') setOutcome(null);
      else
        setOutcome({
          message: error instanceof Error ? error.message : String(error),
          problems: [],
        });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  const zipAll = async (before = ''): Promise<Outcome> => {
    const { files, problems } = await renderHandback(plan, byId(), options);
    downloadBlob(
      new Blob([zipHandback(files) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }),
      SIDECARS_ZIP,
    );
    return { message: `${before}${SIDECARS_ZIP}: ${files.length} files.`, problems };
  };
  const downloadZip = () => run(() => zipAll());

  const writeFolder = () =>
    run(async () => {
      // The remembered shoot folder was granted for reading: writing asks once more; refused,
      // the same files come as the zip instead.
      if (folder && !(await mayWriteFolder(folder)))
        return zipAll(`${folder.name} may not be written to, so the files are in the zip: `);
      const target = folder ?? (await pickShootFolder());
      const { written, problems } = await writeIntoFolder(
        target,
        renderEach(plan, byId(), options),
      );
      return { message: `Wrote ${written} files into ${target.name}.`, problems };
    });

  const rows = () => reportPhotos(state);
  const text = (body: string, type: string, name: string) => {
    downloadBlob(new Blob([body], { type }), name);
    setOutcome({ message: `${name}: ${photos.length} photos.`, problems: [] });
  };

  return (
    <dialog
      ref={ref}
      className="export-dialog"
      aria-labelledby="export-title"
      data-testid="export-dialog"
      onClose={onClose}
    >
      <h2 id="export-title">Hand back to your editor</h2>
      <fieldset>
        <legend>Editor</legend>
        {PROFILES.map((p) => (
          <label key={p.key}>
            <input
              type="radio"
              name="editor-profile"
              value={p.key}
              checked={profile === p.key}
              onChange={() => setProfile(p.key)}
            />{' '}
            {p.label}
          </label>
        ))}
      </fieldset>
      <ExportCounts plan={plan} photoCount={photos.length} copies={copies} />
      {plan.copies.length > 0 && (
        <label className="export-dialog__copies">
          <input type="checkbox" checked={copies} onChange={(e) => setCopies(e.target.checked)} />{' '}
          Make tagged JPEG copies (the originals are never changed)
        </label>
      )}
      {confirming ? (
        <div className="export-dialog__confirm" role="group" aria-label="Confirm writing">
          <p>
            Write {plan.sidecars.length} sidecars
            {copies &&
              plan.copies.length > 0 &&
              ` and ${plan.copies.length} tagged copies`} into{' '}
            {folder ? folder.name : 'the shoot’s folder, which you pick next'}? Sidecars already
            there are replaced by their merged versions; photos are not touched.
          </p>
          <button type="button" disabled={busy} onClick={writeFolder}>
            Write them
          </button>
          <button
            type="button"
            className="export-dialog__secondary"
            onClick={() => setConfirming(false)}
          >
            Back
          </button>
        </div>
      ) : (
        <div className="export-dialog__actions">
          {canWriteToFolder() && (
            <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
              Write into the shoot’s folder…
            </button>
          )}
          <button type="button" disabled={busy} onClick={downloadZip}>
            Download zip
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => text(reportCsv(rows()), 'text/csv', REPORT_CSV)}
          >
            CSV report
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => text(reportJson(rows()), 'application/json', REPORT_JSON)}
          >
            JSON report
          </button>
        </div>
      )}
      <div role="status" className="export-dialog__status" data-testid="export-status">
        {busy ? 'Writing…' : outcome?.message}
      </div>
      {outcome && outcome.problems.length > 0 && (
        <ul role="alert" className="export-dialog__problems" data-testid="export-problems">
          {outcome.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <button
        type="button"
        className="export-dialog__secondary"
        onClick={() => ref.current?.close()}
      >
        Close
      </button>
    </dialog>
  );
}
