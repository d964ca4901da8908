/**
 * The XMP the hand-back writes: the photographer's xmp:Rating and xmp:Label, and the app's own
 * score, level probabilities and model in a namespace of its own (`ql:`). An existing sidecar is
 * merged into, never replaced: every element and attribute other than those few is kept as it
 * was (develop settings, crs:, darktable:history, dc:, …).
 *
 * Parsed with @xmldom/xmldom rather than the browser's DOMParser: the same parser then runs in the
 * browser and in the Node tests, it reports a malformed file as an error instead of returning a
 * `<parsererror>` document, and its serializer declares the namespaces of attributes it adds.
 */
import { DOMParser, XMLSerializer, onErrorStopParsing } from '@xmldom/xmldom';
import type { ColorLabel } from './marks.ts';

export const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
export const XMP_NS = 'http://ns.adobe.com/xap/1.0/';
const X_NS = 'adobe:ns:meta/';
/** The app's own namespace, and the prefix it prefers. */
export const QL_NS = 'https://quality-lens.app/ns/1.0/';
export const QL_PREFIX = 'ql';

/** The app's reading of a photo, as written to the `ql:` namespace. */
export interface AppQuality {
  /** 1–5. */
  score: number;
  /** The level the score stands for (Excellent … Bad). */
  level: string;
  /** Excellent … Bad, summing to 1. */
  probabilities: readonly number[];
  modelId: string;
  precision: string;
  backend: 'webgpu' | 'wasm';
}

/** What one photo's XMP says. */
export interface XmpFields {
  /** xmp:Rating (−1 rejected, 0 unrated, 1–5); null keeps an existing one (0 where none). */
  rating: number | null;
  /** xmp:Label; null keeps an existing one. */
  label: ColorLabel | null;
  /** The app's score; null when it has none (the `ql:` fields are then left out). */
  quality: AppQuality | null;
}

/** An existing XMP file that cannot be merged into: it is left as it was. */
export class XmpMergeError extends Error {
  override name = 'XmpMergeError';
}

type XDocument = ReturnType<DOMParser['parseFromString']>;
type XElement = NonNullable<XDocument['documentElement']>;

const EMPTY_PACKET =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  `<x:xmpmeta xmlns:x="${X_NS}" x:xmptk="Quality Lens">\n` +
  ` <rdf:RDF xmlns:rdf="${RDF_NS}">\n` +
  '  <rdf:Description rdf:about=""/>\n' +
  ' </rdf:RDF>\n' +
  '</x:xmpmeta>\n';

const LEVEL_PROPERTIES = ['Excellent', 'Good', 'Fair', 'Poor', 'Bad'] as const;

/** The `ql:` properties, in the order written. */
function qualityProperties(q: AppQuality): [string, string][] {
  return [
    ['Score', q.score.toFixed(4)],
    ['Level', q.level],
    ...LEVEL_PROPERTIES.map((name, i): [string, string] => [
      `Probability${name}`,
      (q.probabilities[i] ?? 0).toFixed(4),
    ]),
    ['Model', q.modelId],
    ['Precision', q.precision],
    ['Backend', q.backend],
  ];
}

function parse(xml: string): XDocument {
  try {
    return new DOMParser({ onError: onErrorStopParsing }).parseFromString(xml, 'text/xml');
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new XmpMergeError(`it is not well-formed XML (${why})`);
  }
}

const elementChildren = (el: XElement): XElement[] => {
  const out: XElement[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as XElement);
  return out;
};

/** A prefix for `ns` usable on `el`: the one already bound to it, else `preferred` (or a free variant). */
function prefixFor(el: XElement, ns: string, preferred: string): string {
  const bound = el.lookupPrefix(ns);
  if (bound) return bound;
  let prefix = preferred;
  for (let i = 1; el.lookupNamespaceURI(prefix) !== null; i++) prefix = `${preferred}${i}`;
  return prefix;
}

/** Removes our properties (as attributes or as elements) from one rdf:Description. */
function removeOurs(description: XElement, fields: XmpFields): void {
  const ours = (ns: string | null, local: string | null) =>
    ns === QL_NS ||
    (ns === XMP_NS &&
      ((local === 'Rating' && fields.rating !== null) ||
        (local === 'Label' && fields.label !== null)));
  for (const attr of Array.from(description.attributes)) {
    if (ours(attr.namespaceURI, attr.localName)) description.removeAttributeNode(attr);
  }
  for (const child of elementChildren(description)) {
    if (!ours(child.namespaceURI, child.localName)) continue;
    // The indentation before it goes too, so no blank line is left where it was.
    const before = child.previousSibling;
    if (before?.nodeType === 3 && !before.nodeValue?.trim()) description.removeChild(before);
    description.removeChild(child);
  }
}

/** Whether any rdf:Description still says xmp:`local` (as an attribute or an element). */
function hasXmpProperty(descriptions: XElement[], local: string): boolean {
  return descriptions.some(
    (d) =>
      d.getAttributeNodeNS(XMP_NS, local) !== null ||
      elementChildren(d).some((c) => c.namespaceURI === XMP_NS && c.localName === local),
  );
}

/** Parses `existing` (or an empty packet) and writes our fields into it. */
function mergedDocument(existing: string | null, fields: XmpFields): XDocument {
  const doc = parse(existing ?? EMPTY_PACKET);
  const rdf = doc.getElementsByTagNameNS(RDF_NS, 'RDF')[0];
  if (!rdf) throw new XmpMergeError('it is XML but not XMP (no rdf:RDF element)');
  const descriptions = elementChildren(rdf).filter(
    (c) => c.namespaceURI === RDF_NS && c.localName === 'Description',
  );
  for (const d of descriptions) removeOurs(d, fields);
  let target = descriptions[0];
  if (!target) {
    target = doc.createElementNS(RDF_NS, `${rdf.prefix ?? 'rdf'}:Description`);
    target.setAttributeNS(RDF_NS, `${rdf.prefix ?? 'rdf'}:about`, '');
    rdf.appendChild(target);
    descriptions.push(target);
  }
  const xmp = prefixFor(target, XMP_NS, 'xmp');
  const set = (ns: string, prefix: string, local: string, value: string) =>
    target.setAttributeNS(ns, `${prefix}:${local}`, value);
  if (fields.rating !== null) set(XMP_NS, xmp, 'Rating', String(fields.rating));
  else if (!hasXmpProperty(descriptions, 'Rating')) set(XMP_NS, xmp, 'Rating', '0');
  if (fields.label !== null) set(XMP_NS, xmp, 'Label', fields.label);
  if (fields.quality) {
    const ql = prefixFor(target, QL_NS, QL_PREFIX);
    for (const [local, value] of qualityProperties(fields.quality)) set(QL_NS, ql, local, value);
  }
  return doc;
}

/**
 * A sidecar's text: `existing` (a sidecar that came with the shoot) with our fields replaced and
 * everything else kept, or a new packet. Throws XmpMergeError for a file that is not XMP.
 */
export function sidecarXmp(existing: string | null, fields: XmpFields): string {
  return new XMLSerializer().serializeToString(mergedDocument(existing, fields));
}

/** Padding recommended inside an embedded packet so an editor can update it in place. */
const PACKET_PADDING = 2048;

/**
 * An XMP packet for embedding in a JPEG (`<?xpacket?>`-wrapped x:xmpmeta, no XML declaration):
 * the photo's own embedded XMP (if any) merged as a sidecar would be.
 */
export function embeddedXmp(existing: string | null, fields: XmpFields): string {
  const doc = mergedDocument(existing, fields);
  const root = doc.documentElement!;
  const meta =
    root.namespaceURI === X_NS && root.localName === 'xmpmeta' ? root : wrapInXmpmeta(doc, root);
  const body = new XMLSerializer().serializeToString(meta);
  const padding = (' '.repeat(99) + '\n').repeat(PACKET_PADDING / 100);
  return (
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' +
    body +
    '\n' +
    padding +
    '<?xpacket end="w"?>'
  );
}

function wrapInXmpmeta(doc: XDocument, rdfRoot: XElement): XElement {
  const meta = doc.createElementNS(X_NS, 'x:xmpmeta');
  doc.replaceChild(meta, rdfRoot);
  meta.appendChild(rdfRoot);
  return meta;
}
