import { useEffect, useState } from 'react';
import { decodeThumbnail } from '../thumbnail.ts';

/**
 * The thumbnail a sharer chose, shown only after the browser has decoded it as an image: a
 * validated data URL that still fails to decode is reported, not shown as a broken image.
 */
export function SharedThumbnail({ url }: { url: string }) {
  const [checked, setChecked] = useState<{ url: string; ok: boolean } | null>(null);
  useEffect(() => {
    let live = true;
    void decodeThumbnail(url).then((bitmap) => {
      bitmap?.close();
      if (live) setChecked({ url, ok: bitmap !== null });
    });
    return () => {
      live = false;
    };
  }, [url]);
  if (checked?.url !== url) return null;
  return checked.ok ? (
    <img
      className="shared__thumbnail"
      src={url}
      alt="Thumbnail the sharer chose to include"
      data-testid="shared-thumbnail"
    />
  ) : (
    <p className="shared__note" role="status" data-testid="shared-thumbnail-damaged">
      The thumbnail in this link is damaged and is not shown.
    </p>
  );
}
