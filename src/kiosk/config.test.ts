import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isKioskMode, parseKioskSettings, sha256Hex } from './config.ts';

describe('isKioskMode', () => {
  it('follows ?kiosk, and the build flag when the URL is silent', () => {
    expect(isKioskMode('', false)).toBe(false);
    expect(isKioskMode('?kiosk', false)).toBe(true);
    expect(isKioskMode('?kiosk=1', false)).toBe(true);
    expect(isKioskMode('', true)).toBe(true);
    expect(isKioskMode('?kiosk=off', true)).toBe(false);
    expect(isKioskMode('?kiosk=FALSE', true)).toBe(false);
  });
});

describe('parseKioskSettings', () => {
  it('takes kiosk.json, lets the URL override the timings, and bounds them', () => {
    const s = parseKioskSettings(
      { idleSeconds: 120, countdownSeconds: 15, model: 'local:m' },
      '',
      undefined,
    );
    expect(s).toMatchObject({ idleSeconds: 120, countdownSeconds: 15, problems: [] });
    expect(s.model).toEqual({ kind: 'local', id: 'm' });
    const url = parseKioskSettings({ idleSeconds: 120 }, '?idle=2&countdown=999', 'local:m');
    expect(url.idleSeconds).toBe(5);
    expect(url.countdownSeconds).toBe(60);
    expect(url.problems).toHaveLength(2);
  });

  it('never accepts a Hub model, and says so', () => {
    const s = parseKioskSettings({ model: 'org/name' }, '', 'llava-hf/x');
    expect(s.model).toBeNull();
    expect(s.problems.join(' ')).toMatch(/not a local folder/);
    expect(parseKioskSettings({}, '?model=local:a', 'local:b').model?.id).toBe('a');
  });

  it('survives a hostile or broken kiosk.json', () => {
    for (const file of [null, 'text', 42, [], { idleSeconds: 'soon', pinSha256: '<script>' }]) {
      const s = parseKioskSettings(file, '', 'local:m');
      expect(s.idleSeconds).toBe(90);
      expect(s.countdownSeconds).toBe(10);
      expect(s.pinSha256).toBeNull();
    }
  });

  it('hashes a PIN as Node’s crypto does', async () => {
    const expected = createHash('sha256').update('4711').digest('hex');
    expect(await sha256Hex('4711')).toBe(expected);
    expect(parseKioskSettings({ pinSha256: expected.toUpperCase() }, '', 'local:m').pinSha256).toBe(
      expected,
    );
  });
});
