import { describe, expect, it } from 'vitest';
import { cameraLine, exposureLine, focalLine, formatShutter } from './exifText.ts';

describe('EXIF as a photographer reads it', () => {
  it('writes shutter times as fractions, long ones in seconds', () => {
    expect(formatShutter(0.004)).toBe('1/250 s');
    expect(formatShutter(0.00025)).toBe('1/4000 s');
    expect(formatShutter(0.4)).toBe('0.4 s');
    expect(formatShutter(2)).toBe('2 s');
  });

  it('puts the exposure triangle on one line', () => {
    expect(exposureLine({ exposureTime: 0.0125, fNumber: 5.6, iso: 400 })).toBe(
      '1/80 s · f/5.6 · ISO 400',
    );
    expect(exposureLine({ fNumber: 3.2, exposureBias: -0.7 })).toBe('f/3.2 · −0.7 EV');
    expect(exposureLine({})).toBeNull();
  });

  it('names the camera once and gives the 35 mm equivalent when it differs', () => {
    expect(cameraLine({ make: 'Canon', model: 'Canon EOS 400D DIGITAL' })).toBe(
      'Canon EOS 400D DIGITAL',
    );
    expect(cameraLine({ make: 'KONICA MINOLTA', model: 'DiMAGE Z5' })).toBe(
      'KONICA MINOLTA DiMAGE Z5',
    );
    expect(focalLine({ focalLength: 10.27679, focalLength35mm: 62 })).toBe(
      '10.3 mm (62 mm in 35 mm terms)',
    );
    expect(focalLine({ focalLength: 50, focalLength35mm: 50 })).toBe('50 mm');
  });
});
