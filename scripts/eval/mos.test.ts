/** Reading MOS files in the shapes the IQA data sets ship, and the reasons rows are skipped. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMosFile } from './mos.ts';

let dir: string;
let photos: string;

function mosFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quality-lens-mos-'));
  photos = join(dir, 'photos');
  mkdirSync(join(photos, 'sub'), { recursive: true });
  for (const name of ['a.jpg', 'b.jpg', 'c.png', 'sub/d.bmp'])
    writeFileSync(join(photos, name), 'x');
});

describe('readMosFile', () => {
  it("reads KonIQ's columns, taking MOS rather than MOS_zscore", () => {
    const path = mosFile(
      'koniq.csv',
      '"image_name","c1","c2","c_total","MOS","SD","MOS_zscore"\n' +
        '"a.jpg",0,1,100,"3.45",0.6,"60.1"\n"b.jpg",0,1,100,"2.10",0.5,"40.2"\n',
    );
    const mos = readMosFile(path, photos);
    expect(mos.nameColumn).toBe('image_name');
    expect(mos.mosColumn).toBe('MOS');
    expect(mos.rows.map((r) => [r.file, r.mos])).toEqual([
      ['a.jpg', 3.45],
      ['b.jpg', 2.1],
    ]);
  });

  it("reads SPAQ's, KADID's and AGIQA's headers, a BOM, CRLF and semicolons", () => {
    const spaq = readMosFile(mosFile('spaq.csv', '\uFEFFImage name;MOS\r\na.jpg;71.3\r\n'), photos);
    expect(spaq.rows).toEqual([{ file: 'a.jpg', mos: 71.3, line: 2 }]);
    const kadid = readMosFile(
      mosFile('kadid.csv', 'dist_img,ref_img,dmos,var\nc.png,r.png,4.57,0.2\n'),
      photos,
    );
    expect(kadid.mosColumn).toBe('dmos');
    expect(kadid.rows[0]).toMatchObject({ file: 'c.png', mos: 4.57 });
    const agiqa = readMosFile(
      mosFile('agiqa.csv', 'name,prompt,mos_quality,std_quality\nb.jpg,"a cat, at dusk",2.5,0.4\n'),
      photos,
    );
    expect(agiqa.rows[0]).toMatchObject({ file: 'b.jpg', mos: 2.5 });
  });

  it('reads a file without a header as file name then MOS, paths under the photos folder', () => {
    const mos = readMosFile(mosFile('plain.csv', 'a.jpg,1.5\nsub/d.bmp,4\n\n'), photos);
    expect(mos.nameColumn).toBe('1');
    expect(mos.rows.map((r) => r.file)).toEqual(['a.jpg', 'sub/d.bmp']);
  });

  it('skips each bad row with its reason and line, and keeps the others', () => {
    const mos = readMosFile(
      mosFile(
        'bad.csv',
        [
          'image_name,MOS',
          'a.jpg,3',
          'gone.jpg,2',
          'b.jpg,',
          'c.png,good',
          ',3',
          '../a.jpg,2',
          'a.jpg,4',
          'sub/d.bmp,NaN',
        ].join('\n'),
      ),
      photos,
    );
    expect(mos.rows.map((r) => r.file)).toEqual(['a.jpg']);
    expect(mos.skipped).toEqual([
      { line: 3, file: 'gone.jpg', reason: 'missing file' },
      { line: 4, file: 'b.jpg', reason: 'no MOS' },
      { line: 5, file: 'c.png', reason: 'bad MOS "good"' },
      { line: 6, file: '', reason: 'no file name' },
      { line: 7, file: '../a.jpg', reason: 'file name outside the photos folder' },
      { line: 8, file: 'a.jpg', reason: 'repeats an earlier row' },
      { line: 9, file: 'sub/d.bmp', reason: 'bad MOS "NaN"' },
    ]);
  });

  it('says which columns it has when it cannot tell, and honours --mos-column', () => {
    const path = mosFile('odd.csv', 'picture,rating,other\na.jpg,3,1\n');
    expect(() => readMosFile(path, photos)).toThrow(/columns: picture, rating, other/);
    const mos = readMosFile(path, photos, { name: 'picture', mos: 'rating' });
    expect(mos.rows[0]).toMatchObject({ file: 'a.jpg', mos: 3 });
  });
});
