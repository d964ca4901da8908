/** Hooks of the share panel: the opt-in thumbnail and the link, each made asynchronously. */
import { useEffect, useState } from 'react';
import { encodeSharedResult, sharedLink } from './link.ts';
import type { SharedResult } from './payload.ts';
import { shareThumbnail } from './thumbnail.ts';

/** Where the opt-in thumbnail is. */
export type ThumbnailState =
  { status: 'none' | 'making' | 'failed'; url: null } | { status: 'ready'; url: string };

/** Makes the tiny share thumbnail from `sourceUrl` (the strip thumbnail); none when null. */
export function useShareThumbnail(sourceUrl: string | null): ThumbnailState {
  const [made, setMade] = useState<{ source: string; state: ThumbnailState } | null>(null);
  useEffect(() => {
    if (!sourceUrl) return;
    let live = true;
    shareThumbnail(sourceUrl).then(
      (url) => live && setMade({ source: sourceUrl, state: { status: 'ready', url } }),
      (error: unknown) => {
        console.warn('Share thumbnail failed:', error);
        if (live) setMade({ source: sourceUrl, state: { status: 'failed', url: null } });
      },
    );
    return () => {
      live = false;
    };
  }, [sourceUrl]);
  if (!sourceUrl) return { status: 'none', url: null };
  return made?.source === sourceUrl ? made.state : { status: 'making', url: null };
}

/** The link for a result on this page's address, re-made whenever the result changes. */
export function useShareLink(result: SharedResult | null): string | null {
  const [made, setMade] = useState<{ json: string; link: string } | null>(null);
  const json = result ? JSON.stringify(result) : null;
  useEffect(() => {
    if (!result) return;
    let live = true;
    encodeSharedResult(result).then(
      (encoded) =>
        live &&
        setMade({ json: JSON.stringify(result), link: sharedLink(window.location.href, encoded) }),
      (error: unknown) => console.error('Could not make the share link:', error),
    );
    return () => {
      live = false;
    };
  }, [result]);
  // Never hand out a link made from different content (a token streaming elsewhere keeps it).
  return json !== null && made?.json === json ? made.link : null;
}
