/**
 * The kiosk bundle's parts that run without a build: which folders are models, and the bundle's
 * own server (serve.mjs) — isolation headers, lengths, this folder only, and changing the PIN.
 * The whole bundle is built and used in e2e/kiosk.spec.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFolderProblem } from './kiosk-bundle.ts';

describe('modelFolderProblem', () => {
  it('accepts a folder in the Hub layout and names what a folder lacks', () => {
    const empty = mkdtempSync(join(tmpdir(), 'kiosk-model-'));
    expect(modelFolderProblem(empty)).toMatch(/has no config\.json/);
    expect(modelFolderProblem(join(empty, 'nope'))).toMatch(/is not a folder/);
    for (const f of ['config.json', 'tokenizer.json', 'preprocessor_config.json']) {
      writeFileSync(join(empty, f), '{}');
    }
    mkdirSync(join(empty, 'onnx'));
    writeFileSync(join(empty, 'onnx', 'vision_encoder.onnx'), '');
    expect(modelFolderProblem(empty)).toMatch(/no embed_tokens/);
    writeFileSync(join(empty, 'onnx', 'embed_tokens_quantized.onnx'), '');
    writeFileSync(join(empty, 'onnx', 'decoder_model_merged_q4.onnx'), '');
    expect(modelFolderProblem(empty)).toBeNull();
  });
});

describe('serve.mjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bundle-'));
  const port = 4700 + Math.floor(Math.random() * 200);
  let server: ReturnType<typeof spawn>;

  beforeAll(async () => {
    mkdirSync(join(dir, 'app', 'models', 'm', 'onnx'), { recursive: true });
    writeFileSync(join(dir, 'app', 'index.html'), '<!doctype html><title>k</title>');
    writeFileSync(join(dir, 'app', 'kiosk.json'), JSON.stringify({ idleSeconds: 90 }));
    writeFileSync(join(dir, 'app', 'models', 'm', 'onnx', 'x.onnx'), Buffer.alloc(1234, 7));
    writeFileSync(join(dir, 'secret.txt'), 'not served');
    copyFileSync(resolve('scripts/kiosk/serve.mjs'), join(dir, 'serve.mjs'));
    writeFileSync(
      join(dir, 'serve-headers.json'),
      JSON.stringify({ 'Content-Security-Policy': "default-src 'self'" }),
    );
    server = spawn('node', [join(dir, 'serve.mjs'), '--port', String(port)], { stdio: 'pipe' });
    await new Promise<void>((res) => server.stdout!.once('data', () => res()));
  });
  afterAll(() => void server?.kill());

  const get = (path: string) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((res, rej) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () =>
          res({ status: r.statusCode ?? 0, headers: r.headers, body: Buffer.concat(chunks) }),
        );
      });
      req.on('error', rej);
      req.end();
    });

  it('serves the app isolated, model files whole with their length', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(page.headers['content-security-policy']).toBe("default-src 'self'");
    const model = await get('/models/m/onnx/x.onnx');
    expect(model.status).toBe(200);
    expect(model.headers['content-length']).toBe('1234');
    expect(model.headers['content-encoding']).toBeUndefined();
    expect(model.body.length).toBe(1234);
  });

  it('serves nothing outside app/', async () => {
    expect((await get('/../secret.txt')).body.toString()).not.toContain('not served');
    for (const path of ['/%2e%2e/secret.txt', '/..%2fsecret.txt', '/models/../../secret.txt']) {
      const answer = await get(path);
      expect(answer.body.toString(), path).not.toContain('not served');
      expect([403, 404, 400], path).toContain(answer.status);
    }
    expect((await get('/missing.js')).status).toBe(404);
  });

  it('changes the PIN, keeping only its SHA-256', () => {
    const run = spawnSync('node', [join(dir, 'serve.mjs'), '--set-pin', '9753'], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const settings = JSON.parse(readFileSync(join(dir, 'app', 'kiosk.json'), 'utf8'));
    expect(settings).toEqual({
      idleSeconds: 90,
      pinSha256: createHash('sha256').update('9753').digest('hex'),
    });
    expect(readFileSync(join(dir, 'app', 'kiosk.json'), 'utf8')).not.toContain('9753');
    const bad = spawnSync('node', [join(dir, 'serve.mjs'), '--set-pin', 'abc'], {
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
  });
});
