/**
 * What a link may choose: the model host is checked before any request goes to it, and a refused
 * one never leaves the app waiting; generation limits are bounded (real store, fake model:
 * store/testing/).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_HUB_HOST } from '../model/source.ts';
import { createAppStore } from './index.ts';
import { chooseHubHost } from './modelSlice.ts';
import { fakeServices } from './testing/fakes.ts';

describe('chooseHubHost', () => {
  it('takes a valid link host, else the build’s, else the Hub, naming what it refused', () => {
    const notices: string[] = [];
    expect(chooseHubHost('http://127.0.0.1:4180/', undefined, notices)).toBe(
      'http://127.0.0.1:4180/',
    );
    expect(chooseHubHost(null, 'https://mirror.example.org/hf', notices)).toBe(
      'https://mirror.example.org/hf/',
    );
    expect(chooseHubHost(null, undefined, notices)).toBe('https://huggingface.co/');
    expect(notices).toEqual([]);

    expect(chooseHubHost('javascript:alert(1)', undefined, notices)).toBe(
      'https://huggingface.co/',
    );
    expect(chooseHubHost('http://evil.example', 'https://mirror.example.org/', notices)).toBe(
      'https://mirror.example.org/',
    );
    expect(notices).toEqual([
      'The link’s model host “javascript:alert(1)” was refused (“javascript:” addresses cannot serve a model); the model comes from huggingface.co instead.',
      'The link’s model host “http://evil.example” was refused (only https addresses are allowed, http only for this computer); the model comes from mirror.example.org instead.',
    ]);
  });

  it('refuses a well-formed host the site’s security policy does not allow, and says so', () => {
    const notices: string[] = [];
    const allowed = (url: string) => url.startsWith('https://huggingface.co/');
    expect(chooseHubHost('https://mirror.example.org/', undefined, notices, allowed)).toBe(
      'https://huggingface.co/',
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('mirror.example.org was refused');
    expect(notices[0]).toContain('security policy');
    expect(notices[0]).toContain('from huggingface.co instead');
  });

  it('shortens a long refused value in the notice', () => {
    const notices: string[] = [];
    chooseHubHost(`javascript:${'x'.repeat(500)}`, undefined, notices);
    expect(notices[0]!.length).toBeLessThan(250);
  });
});

describe('initModel with a hostile ?hub=', () => {
  for (const hub of ['javascript:alert(1)', 'http://evil.example', 'https://u:p@evil.example/']) {
    it(`${hub}: notice, the default host, and the download prompt (not stuck)`, async () => {
      const { services, model } = fakeServices();
      const store = createAppStore(services);
      await store.getState().initModel(new URLSearchParams({ hub, device: 'wasm' }));
      const m = store.getState().model;
      expect(m.hubHost).toBe(DEFAULT_HUB_HOST);
      expect(m.notice).toMatch(/model host .* was refused/);
      expect(m.status).toBe('needs-consent');
      // Nothing is loaded until the person agrees; then it comes from the default host.
      await store.getState().startModel();
      expect(model.loads.at(-1)!.settings.hubHost).toBe(DEFAULT_HUB_HOST);
    });
  }
});

describe('initChat with limits beyond the bounds', () => {
  it('uses the bounded values and says what it changed', () => {
    const { services } = fakeServices();
    const store = createAppStore(services);
    store.getState().initChat(new URLSearchParams({ maxTokens: '999999999', context: '4000' }));
    expect(store.getState().chatSettings).toEqual({
      maxTokens: 3072,
      contextTokens: 4000,
      notice:
        'The link asked for answers of 999999999 tokens; limited to 3072 so this tab does not run out of memory.',
    });
  });
});
