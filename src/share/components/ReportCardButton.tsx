import { useState } from 'react';
import { downloadBlob, REPORT_CARD_FILE } from '../download.ts';
import type { SharedResult } from '../payload.ts';
import { reportCardPng } from '../reportCard.ts';

/** "Save report card": draws the PNG on the device and downloads it as quality-report.png. */
export function ReportCardButton({
  result,
  thumbnail,
}: {
  result: SharedResult | null;
  /** The picture for the card, asked for only when the person saves (null: none). */
  thumbnail: () => Promise<ImageBitmap | null>;
}) {
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  const save = async () => {
    if (!result) return;
    setState('saving');
    try {
      const bitmap = await thumbnail();
      const png = await reportCardPng(result, bitmap);
      bitmap?.close();
      downloadBlob(png, REPORT_CARD_FILE);
      setState('saved');
    } catch (error) {
      console.warn('Report card failed:', error);
      setState('failed');
    }
  };
  return (
    <>
      <button type="button" onClick={() => void save()} disabled={!result || state === 'saving'}>
        Save report card
      </button>
      {state === 'saved' && (
        <span className="share__status" role="status" data-testid="report-card-saved">
          Saved {REPORT_CARD_FILE}
        </span>
      )}
      {state === 'failed' && (
        <span className="share__status share__status--failed" role="alert">
          The report card could not be drawn in this browser.
        </span>
      )}
    </>
  );
}
