/**
 * A tagged JPEG copy: the photo's bytes with one XMP APP1 segment (`http://ns.adobe.com/xap/1.0/\0`)
 * put in, or put in place of the one it had, and every other byte kept as it was (EXIF, ICC, other
 * APPn segments, tables and the compressed scan). Lightroom never reads a sidecar for a JPEG, only
 * the XMP inside it. The original file is never touched: this returns new bytes.
 */

/** The name that starts the payload of a (standard) XMP APP1 segment. */
export const XMP_APP1_HEADER = 'http://ns.adobe.com/xap/1.0/\0';
/** The name that starts an Extended XMP APP1 segment (for packets over 64 KB; not written here). */
const EXTENDED_XMP_HEADER = 'http://ns.adobe.com/xmp/extension/\0';
const APP1 = 0xe1;
const SOS = 0xda;
const EOI = 0xd9;
/** A segment's length field counts itself (2 bytes) and at most 65,535 bytes in all. */
const MAX_SEGMENT_LENGTH = 0xffff;

/** A photo that cannot be tagged, with the reason in words. */
export class JpegXmpError extends Error {
  override name = 'JpegXmpError';
}

/** One marker segment before the scan: [start, end) covers its 0xFF, marker, length and payload. */
interface Segment {
  marker: number;
  start: number;
  end: number;
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const XMP_HEADER_BYTES = ascii(XMP_APP1_HEADER);
const EXTENDED_HEADER_BYTES = ascii(EXTENDED_XMP_HEADER);

function payloadStartsWith(bytes: Uint8Array, s: Segment, prefix: Uint8Array): boolean {
  const at = s.start + 4;
  if (s.marker !== APP1 || s.end - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

/** The marker segments up to the first scan (SOS) or the end-of-image marker. */
function headerSegments(bytes: Uint8Array): Segment[] {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new JpegXmpError('it is not a JPEG file');
  const segments: Segment[] = [];
  let i = 2;
  for (;;) {
    if (i + 1 >= bytes.length || bytes[i] !== 0xff)
      throw new JpegXmpError('its JPEG structure is damaged before the image data');
    let m = i + 1;
    while (bytes[m] === 0xff && m < bytes.length) m++; // fill bytes
    const marker = bytes[m]!;
    if (marker === SOS || marker === EOI) return segments;
    // Markers without a length: TEM and the restart markers.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      segments.push({ marker, start: i, end: m + 1 });
      i = m + 1;
      continue;
    }
    if (m + 2 >= bytes.length) throw new JpegXmpError('it ends in the middle of a segment');
    const length = (bytes[m + 1]! << 8) | bytes[m + 2]!;
    const end = m + 1 + length;
    if (length < 2 || end > bytes.length)
      throw new JpegXmpError('it ends in the middle of a segment');
    segments.push({ marker, start: i, end });
    i = end;
  }
}

/** The XMP packet embedded in a JPEG (standard XMP only), or null when it has none. */
export function readJpegXmp(bytes: Uint8Array): string | null {
  const segment = headerSegments(bytes).find((s) => payloadStartsWith(bytes, s, XMP_HEADER_BYTES));
  if (!segment) return null;
  return new TextDecoder().decode(
    bytes.subarray(segment.start + 4 + XMP_HEADER_BYTES.length, segment.end),
  );
}

/** Whether the JPEG carries Extended XMP, which a copy cannot keep consistent (it is refused). */
export function hasExtendedXmp(bytes: Uint8Array): boolean {
  return headerSegments(bytes).some((s) => payloadStartsWith(bytes, s, EXTENDED_HEADER_BYTES));
}

/**
 * A copy of `jpeg` with `packet` as its XMP: in place of the existing XMP segment, or after the
 * leading APP0/APP1 segments (JFIF, EXIF) when it had none. Throws JpegXmpError for a file that is
 * not a readable JPEG, that carries Extended XMP, or a packet too big for one segment.
 */
export function embedXmp(jpeg: Uint8Array, packet: string): Uint8Array {
  const segments = headerSegments(jpeg);
  if (segments.some((s) => payloadStartsWith(jpeg, s, EXTENDED_HEADER_BYTES)))
    throw new JpegXmpError(
      'it carries Extended XMP (metadata over 64 KB), which the app does not rewrite',
    );
  const payload = new TextEncoder().encode(packet);
  const length = 2 + XMP_HEADER_BYTES.length + payload.length;
  if (length > MAX_SEGMENT_LENGTH)
    throw new JpegXmpError(
      `its XMP would take ${length} bytes, more than one JPEG segment holds (65,535); ` +
        'Extended XMP is not written',
    );
  const segment = new Uint8Array(2 + length);
  segment.set([0xff, APP1, length >> 8, length & 0xff]);
  segment.set(XMP_HEADER_BYTES, 4);
  segment.set(payload, 4 + XMP_HEADER_BYTES.length);

  const old = segments.filter((s) => payloadStartsWith(jpeg, s, XMP_HEADER_BYTES));
  let insertAt = 2;
  if (old[0]) insertAt = old[0].start;
  else
    for (const s of segments) {
      if (s.marker !== 0xe0 && s.marker !== APP1) break;
      insertAt = s.end;
    }
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const s of old) {
    if (s.start === insertAt) {
      parts.push(jpeg.subarray(from, s.start), segment);
    } else parts.push(jpeg.subarray(from, s.start));
    from = s.end;
  }
  if (!old[0]) {
    parts.push(jpeg.subarray(0, insertAt), segment);
    from = insertAt;
  }
  parts.push(jpeg.subarray(from));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
