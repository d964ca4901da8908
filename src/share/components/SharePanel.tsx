import { useMemo, useRef, useState } from 'react';
import { formatBytes } from '../../lib/format.ts';
import type { PhotoRecord } from '../../photos/types.ts';
import { usePhotoChat } from '../../store/hooks/useChat.ts';
import { usePhotoScore } from '../../store/hooks/useModel.ts';
import { usePixelAnalysis } from '../../store/hooks/usePixelAnalysis.ts';
import { bitmapFromUrl } from '../download.ts';
import { shareableDescription, shareableExchanges, sharedResultFrom } from '../fromResult.ts';
import { SHARE_THUMB_SIDE } from '../thumbnail.ts';
import { useShareLink, useShareThumbnail } from '../useShareLink.ts';
import { ReportCardButton } from './ReportCardButton.tsx';
import './Share.css';

type Notice = { link: string; kind: 'copied' | 'shared' | 'copy-failed' };

/**
 * "Share this result": a link that carries the result in its fragment (never the photo, unless the
 * person ticks the tiny thumbnail), the Web Share sheet where the browser has one, and the
 * report card. What goes in is chosen here and shown as the link's size.
 */
export function SharePanel({ photo }: { photo: PhotoRecord }) {
  const score = usePhotoScore(photo.id);
  const chat = usePhotoChat(photo.id);
  const pixels = usePixelAnalysis(photo.id);
  const [withDescription, setWithDescription] = useState(true);
  const [withMeasures, setWithMeasures] = useState(true);
  const [withThumbnail, setWithThumbnail] = useState(false);
  const [ticked, setTicked] = useState<ReadonlySet<string>>(() => new Set());
  const [notice, setNotice] = useState<Notice | null>(null);
  const linkField = useRef<HTMLInputElement>(null);
  const thumbnail = useShareThumbnail(withThumbnail ? (photo.thumbUrl ?? null) : null);

  const result = useMemo(
    () =>
      sharedResultFrom(score, chat, pixels, {
        description: withDescription,
        exchangeIds: ticked,
        measures: withMeasures,
        thumbnail: thumbnail.url,
      }),
    [score, chat, pixels, withDescription, ticked, withMeasures, thumbnail.url],
  );
  const link = useShareLink(withThumbnail && thumbnail.status === 'making' ? null : result);
  if (!result) return null;

  const description = shareableDescription(chat);
  const exchanges = shareableExchanges(chat);
  const canWebShare = typeof navigator.share === 'function';

  const copy = async (target: string) => {
    try {
      await navigator.clipboard.writeText(target);
      setNotice({ link: target, kind: 'copied' });
    } catch {
      setNotice({ link: target, kind: 'copy-failed' });
      linkField.current?.select();
    }
  };
  const share = async (target: string) => {
    try {
      await navigator.share({ title: 'Photo quality result', url: target });
      setNotice({ link: target, kind: 'shared' });
    } catch (error) {
      // The person closed the share sheet: nothing to say. Otherwise fall back to copying.
      if (!(error instanceof DOMException && error.name === 'AbortError')) await copy(target);
    }
  };
  const toggle = (id: string) =>
    setTicked((old) => {
      const next = new Set(old);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <section className="share" data-testid="share-panel" aria-labelledby="share-heading">
      <h2 id="share-heading">Share this result</h2>
      <p className="share__intro">
        The link carries the score, the level probabilities, what you tick below and the model’s
        name — in the part of the address after “#”, which browsers never send to a server. The
        photo is not in it.
      </p>
      <fieldset className="share__choices">
        <legend>Include</legend>
        <label>
          <input
            type="checkbox"
            checked={withDescription && description !== null}
            disabled={description === null}
            onChange={(e) => setWithDescription(e.target.checked)}
          />
          The quality description{description === null && ' (once it is written)'}
        </label>
        {exchanges.map((e) => (
          <label key={e.id} className="share__exchange">
            <input
              type="checkbox"
              checked={ticked.has(e.id)}
              onChange={() => toggle(e.id)}
              data-testid="share-exchange"
            />
            Q&amp;A: {e.question}
          </label>
        ))}
        <label>
          <input
            type="checkbox"
            checked={withMeasures && pixels?.status === 'ready'}
            disabled={pixels?.status !== 'ready'}
            onChange={(e) => setWithMeasures(e.target.checked)}
          />
          The pixel measures
        </label>
        <label>
          <input
            type="checkbox"
            checked={withThumbnail}
            disabled={!photo.thumbUrl}
            onChange={(e) => setWithThumbnail(e.target.checked)}
            data-testid="share-thumbnail"
          />
          A tiny thumbnail ({SHARE_THUMB_SIDE} px, a few KB) — the only part of the photo that would
          leave this device
        </label>
        {thumbnail.status === 'failed' && (
          <p className="share__status share__status--failed" role="alert">
            The thumbnail could not be made; the link leaves it out.
          </p>
        )}
      </fieldset>
      <div className="share__actions">
        {canWebShare && (
          <button type="button" disabled={!link} onClick={() => link && void share(link)}>
            Share…
          </button>
        )}
        <button type="button" disabled={!link} onClick={() => link && void copy(link)}>
          Copy link
        </button>
        <ReportCardButton
          result={result}
          thumbnail={async () =>
            withThumbnail && photo.thumbUrl ? bitmapFromUrl(photo.thumbUrl) : null
          }
        />
      </div>
      {notice && notice.link === link && (
        <p
          className={`share__status${notice.kind === 'copy-failed' ? ' share__status--failed' : ''}`}
          role="status"
          data-testid="share-notice"
        >
          {notice.kind === 'copied' && 'Link copied. It holds the result, not the photo.'}
          {notice.kind === 'shared' && 'Link shared. It holds the result, not the photo.'}
          {notice.kind === 'copy-failed' &&
            'This browser did not let the app copy; the link below is selected — copy it by hand.'}
        </p>
      )}
      <label className="share__link">
        <span>
          Link
          {link && ` (${formatBytes(link.length)}${withThumbnail ? ', thumbnail included' : ''})`}
        </span>
        <input
          ref={linkField}
          type="text"
          readOnly
          value={link ?? ''}
          placeholder="Making the link…"
          onFocus={(e) => e.target.select()}
          data-testid="share-link"
        />
      </label>
    </section>
  );
}
