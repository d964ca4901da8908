import { describe, expect, it } from 'vitest';
import {
  formatModelSource,
  hubHostName,
  modelFileUrl,
  parseHubHost,
  parseModelSource,
} from './source.ts';

describe('parseModelSource', () => {
  it('reads Hub ids and local folders, and round-trips them', () => {
    expect(parseModelSource('llava-hf/llava-onevision-qwen2-0.5b-ov-hf')).toEqual({
      kind: 'hub',
      id: 'llava-hf/llava-onevision-qwen2-0.5b-ov-hf',
    });
    const local = parseModelSource('local:q-sit-mini');
    expect(local).toEqual({ kind: 'local', id: 'q-sit-mini' });
    expect(formatModelSource(local!)).toBe('local:q-sit-mini');
  });

  it('refuses paths that could leave the models folder, URLs and empty values', () => {
    for (const bad of [
      'local:../secrets',
      'a/../b',
      'https://example.com/x',
      '',
      'local:',
      'a/b/c',
    ]) {
      expect(parseModelSource(bad)).toBeNull();
    }
  });
});

describe('modelFileUrl', () => {
  it('uses the Hub layout for Hub ids and models/<folder>/ under the app for local folders', () => {
    expect(
      modelFileUrl(
        { kind: 'hub', id: 'org/name' },
        'onnx/a.onnx',
        'http://app/',
        'https://hub.example/',
      ),
    ).toBe('https://hub.example/org/name/resolve/main/onnx/a.onnx');
    expect(
      modelFileUrl(
        { kind: 'local', id: 'kiosk' },
        'config.json',
        'http://app/sub/',
        'https://hub/',
      ),
    ).toBe('http://app/sub/models/kiosk/config.json');
  });
});

describe('parseHubHost', () => {
  it('accepts https hosts (with a mirror path) and http on this computer only', () => {
    expect(parseHubHost('https://huggingface.co/')).toEqual({
      ok: true,
      url: 'https://huggingface.co/',
      host: 'huggingface.co',
    });
    expect(parseHubHost('https://mirror.example.org/hf')).toEqual({
      ok: true,
      url: 'https://mirror.example.org/hf/',
      host: 'mirror.example.org',
    });
    expect(parseHubHost('http://127.0.0.1:4180/')).toEqual({
      ok: true,
      url: 'http://127.0.0.1:4180/',
      host: '127.0.0.1:4180',
    });
    expect(parseHubHost('http://localhost:8080').ok).toBe(true);
    expect(parseHubHost('http://[::1]:8080/').ok).toBe(true);
  });

  it('refuses scripts, other schemes, plain http elsewhere, credentials and non-addresses', () => {
    const refused: [string, RegExp][] = [
      ['javascript:alert(1)', /cannot serve a model/],
      ['data:text/html,<script>alert(1)</script>', /cannot serve a model/],
      ['file:///etc/', /cannot serve a model/],
      ['ftp://mirror.example.org/', /cannot serve a model/],
      ['http://evil.example', /only https/],
      ['http://127.0.0.1.evil.example/', /only https/],
      ['https://user:secret@mirror.example.org/', /user name or password/],
      ['https://mirror.example.org/?redirect=x', /query or fragment/],
      ['huggingface.co', /not a web address/],
      ['', /not a web address/],
      ['//evil.example/', /not a web address/],
    ];
    for (const [value, problem] of refused) {
      const parsed = parseHubHost(value);
      expect(parsed.ok, value).toBe(false);
      if (!parsed.ok) expect(parsed.problem, value).toMatch(problem);
    }
  });

  it('shows the host of a host URL', () => {
    expect(hubHostName('https://huggingface.co/')).toBe('huggingface.co');
    expect(hubHostName('http://127.0.0.1:4180/')).toBe('127.0.0.1:4180');
  });
});
