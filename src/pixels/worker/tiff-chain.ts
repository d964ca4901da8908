/** A guard the TIFF decoder runs before handing a file to utif2. */

/** Most directories (pages) a TIFF may chain; real files hold a handful. */
const MAX_TIFF_DIRECTORIES = 256;

/**
 * Whether the chain of TIFF directories loops or runs on without end. utif2 follows the chain
 * without checking: a directory pointing back at itself makes it allocate until the page crashes.
 */
export function tiffChainIsHostile(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = bytes[0] === 0x49;
  const seen = new Set<number>();
  let offset = view.getUint32(4, little);
  while (offset !== 0 && offset + 2 <= bytes.length) {
    if (seen.has(offset) || seen.size >= MAX_TIFF_DIRECTORIES) return true;
    seen.add(offset);
    const next = offset + 2 + view.getUint16(offset, little) * 12;
    if (next + 4 > bytes.length) return false;
    offset = view.getUint32(next, little);
  }
  return false;
}
