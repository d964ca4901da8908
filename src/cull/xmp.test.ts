import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTags, exiftool } from '../../scripts/exiftool.ts';
import { sidecarXmp, XmpMergeError, type AppQuality, type XmpFields } from './xmp.ts';

const dir = mkdtempSync(join(tmpdir(), 'ql-xmp-'));
let n = 0;
/** Writes the text to a file and reads it back with ExifTool. */
function readBack(xml: string) {
  const path = join(dir, `sidecar-${++n}.xmp`);
  writeFileSync(path, xml);
  return exiftool(path)[0]!;
}

const QUALITY: AppQuality = {
  score: 3.45678,
  level: 'Fair',
  probabilities: [0.05, 0.4, 0.35, 0.15, 0.05],
  modelId: 'llava-hf/llava-onevision-qwen2-0.5b-ov-hf',
  precision: 'q4f16',
  backend: 'webgpu',
};

/** A Lightroom-style sidecar: develop settings as attributes, Rating and Label, keywords. */
const LIGHTROOM = `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0-c000">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
   xmp:Rating="2"
   xmp:Label="Red"
   crs:Version="15.0"
   crs:Exposure2012="+0.50"
   crs:WhiteBalance="As Shot">
   <dc:subject>
    <rdf:Bag>
     <rdf:li>wedding</rdf:li>
     <rdf:li>first dance</rdf:li>
    </rdf:Bag>
   </dc:subject>
   <crs:ToneCurvePV2012>
    <rdf:Seq>
     <rdf:li>0, 0</rdf:li>
     <rdf:li>255, 255</rdf:li>
    </rdf:Seq>
   </crs:ToneCurvePV2012>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
`;

/** A darktable sidecar: Rating as an element, its history, and a second rdf:Description. */
const DARKTABLE = `<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:darktable="http://darktable.sf.net/"
   darktable:xmp_version="5"
   darktable:history_end="2">
   <xmp:Rating>4</xmp:Rating>
   <darktable:history>
    <rdf:Seq>
     <rdf:li darktable:num="0" darktable:operation="exposure" darktable:enabled="1" darktable:params="0000000000000000"/>
     <rdf:li darktable:num="1" darktable:operation="filmicrgb" darktable:enabled="1" darktable:params="cdcc4c3e"/>
    </rdf:Seq>
   </darktable:history>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:ql="https://quality-lens.app/ns/1.0/" ql:Score="1.0000"/>
 </rdf:RDF>
</x:xmpmeta>
`;

const OURS = /^XMP-(xmp:(Rating|Label)|ql:)/;
const withoutOurs = (tags: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(contentTags(tags)).filter(([k]) => !OURS.test(k)));

describe('XMP sidecars, read back by ExifTool', () => {
  it('a new sidecar carries Rating, Label and the app’s score, levels and model', () => {
    const tags = readBack(sidecarXmp(null, { rating: 4, label: 'Green', quality: QUALITY }));
    expect(tags).toMatchObject({
      'XMP-xmp:Rating': 4,
      'XMP-xmp:Label': 'Green',
      'XMP-ql:Score': 3.4568,
      'XMP-ql:Level': 'Fair',
      'XMP-ql:ProbabilityExcellent': 0.05,
      'XMP-ql:ProbabilityGood': 0.4,
      'XMP-ql:ProbabilityFair': 0.35,
      'XMP-ql:ProbabilityPoor': 0.15,
      'XMP-ql:ProbabilityBad': 0.05,
      'XMP-ql:Model': 'llava-hf/llava-onevision-qwen2-0.5b-ov-hf',
      'XMP-ql:Precision': 'q4f16',
      'XMP-ql:Backend': 'webgpu',
    });
  });

  it('a rejected photo is Rating −1; an unmarked, unscored photo is Rating 0 with no label', () => {
    expect(readBack(sidecarXmp(null, { rating: -1, label: null, quality: null }))).toMatchObject({
      'XMP-xmp:Rating': -1,
    });
    const unrated = readBack(sidecarXmp(null, { rating: null, label: null, quality: null }));
    expect(unrated['XMP-xmp:Rating']).toBe(0);
    expect(unrated).not.toHaveProperty('XMP-xmp:Label');
    expect(Object.keys(unrated).filter((k) => k.startsWith('XMP-ql:'))).toEqual([]);
  });

  it.each([
    ['Lightroom (crs: develop settings, keywords)', LIGHTROOM],
    ['darktable (history, Rating as an element, two descriptions)', DARKTABLE],
  ])('merging into a %s sidecar keeps everything else as ExifTool reads it', (_, existing) => {
    const before = readBack(existing);
    const fields: XmpFields = { rating: 5, label: 'Purple', quality: QUALITY };
    const after = readBack(sidecarXmp(existing, fields));
    expect(withoutOurs(after)).toEqual(withoutOurs(before));
    expect(after).toMatchObject({
      'XMP-xmp:Rating': 5,
      'XMP-xmp:Label': 'Purple',
      'XMP-ql:Score': 3.4568,
    });
  });

  it('the develop settings are really there after the merge (not only equal to nothing)', () => {
    const lr = readBack(sidecarXmp(LIGHTROOM, { rating: 1, label: null, quality: null }));
    expect(lr).toMatchObject({
      'XMP-crs:Exposure2012': '+0.50',
      'XMP-crs:WhiteBalance': 'As Shot',
      'XMP-crs:ToneCurvePV2012': ['0, 0', '255, 255'],
      'XMP-dc:Subject': ['wedding', 'first dance'],
      // No label given: the one the photographer set in Lightroom stays.
      'XMP-xmp:Label': 'Red',
    });
    const dt = readBack(sidecarXmp(DARKTABLE, { rating: null, label: 'Blue', quality: null }));
    expect(dt).toMatchObject({
      'XMP-darktable:History': [
        expect.objectContaining({ Operation: 'exposure' }),
        expect.objectContaining({ Operation: 'filmicrgb' }),
      ],
      // Never marked in the app: darktable's 4 stars stay.
      'XMP-xmp:Rating': 4,
      'XMP-xmp:Label': 'Blue',
    });
  });

  it('replaces Rating written as an element instead of adding a second one', () => {
    const xml = sidecarXmp(DARKTABLE, { rating: 2, label: null, quality: QUALITY });
    expect(xml.match(/Rating/g)).toHaveLength(1);
    expect(xml.match(/ql:Score=/g)).toHaveLength(1);
    expect(readBack(xml)['XMP-xmp:Rating']).toBe(2);
  });

  it('refuses to merge into a file that is not well-formed XML, or not XMP', () => {
    const broken = LIGHTROOM.replace('</dc:subject>', '');
    expect(() => sidecarXmp(broken, { rating: 3, label: null, quality: null })).toThrow(
      XmpMergeError,
    );
    expect(() => sidecarXmp(broken, { rating: 3, label: null, quality: null })).toThrow(
      /not well-formed XML/,
    );
    expect(() =>
      sidecarXmp('<notes>hello</notes>', { rating: 3, label: null, quality: null }),
    ).toThrow(/not XMP/);
  });
});
