import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  extraConnectSources,
  policyAllowsConnect,
} from './content-policy.ts';

const SELF = 'https://lens.example.org';

describe('policyAllowsConnect', () => {
  const policy = contentSecurityPolicy({ connect: ['http://127.0.0.1:4180'] });

  it('allows the app itself, the Hub and the hosts the Hub redirects downloads to', () => {
    for (const url of [
      `${SELF}/models/x/config.json`,
      'https://huggingface.co/llava-hf/x/resolve/main/onnx/decoder.onnx',
      'https://cas-bridge.xethub.hf.co/xet-bridge-us/abc',
      'https://us.aws.cdn.hf.co/xet-bridge-us/abc',
      'https://cdn-lfs.huggingface.co/repos/ab/cd',
      'http://127.0.0.1:4180/',
    ]) {
      expect(policyAllowsConnect(policy, url, SELF), url).toBe(true);
    }
  });

  it('refuses any other host, scheme or port', () => {
    for (const url of [
      'https://mirror.example.org/',
      'http://huggingface.co/',
      'https://huggingface.co.evil.example/',
      'https://evilhf.co/',
      'http://127.0.0.1:4181/',
      'http://localhost:4180/',
      'https://lens.example.org:8443/',
      'not a url',
    ]) {
      expect(policyAllowsConnect(policy, url, SELF), url).toBe(false);
    }
  });

  it('falls back to default-src, and allows everything without either', () => {
    expect(policyAllowsConnect("default-src 'self'", 'https://huggingface.co/', SELF)).toBe(false);
    expect(policyAllowsConnect("img-src 'self'", 'https://huggingface.co/', SELF)).toBe(true);
    expect(policyAllowsConnect('connect-src https:', 'https://any.example/', SELF)).toBe(true);
    expect(policyAllowsConnect('connect-src http://a.example:*', 'http://a.example:9/', SELF)).toBe(
      true,
    );
  });
});

describe('extraConnectSources', () => {
  it('adds the origin of the build’s mirror and the sources given', () => {
    expect(
      extraConnectSources({
        VITE_HUB_HOST: 'https://mirror.example.org/hf/',
        CSP_CONNECT_SRC: ' https://a.example  http://127.0.0.1:1 ',
      }),
    ).toEqual(['https://a.example', 'http://127.0.0.1:1', 'https://mirror.example.org']);
    expect(extraConnectSources({ VITE_HUB_HOST: 'not a url' })).toEqual([]);
  });
});
