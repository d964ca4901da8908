/**
 * The eval page in headless Chromium: built with the app's Vite config (src/eval/index.html as the
 * only entry, rebuilt only when a source changed), served by `vite preview` on localhost with the
 * photos folders under /eval-photos/<n>/ and a local model folder under /models/, and driven
 * through `window.qualityLensEval`.
 */
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { build, preview, type InlineConfig, type Plugin, type UserConfig } from 'vite';
import type { EvalPageApi } from '../../src/eval/protocol.ts';
import { ISOLATION_HEADERS } from '../../src/offline/worker/isolation-headers.ts';
import { CHROMIUM_ARGS, EXECUTABLE } from '../bench/bench.ts';
import appConfig from '../../vite.config.ts';

/** The eval page's path inside the build. */
export const EVAL_PAGE = 'src/eval/index.html';
const STAMP = '.eval-build-stamp';

const PHOTO_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.bmp': 'image/bmp',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

/** Serves each photos folder under /eval-photos/<index>/, read straight from the disk. */
function servePhotoFolders(folders: string[]): Plugin {
  return {
    name: 'serve-eval-photos',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        const match = /^\/eval-photos\/(\d+)\/(.+)$/.exec(req.url?.split('?')[0] ?? '');
        const root = match ? folders[Number(match[1])] : undefined;
        if (!match || root === undefined) return next();
        const file = normalize(join(root, decodeURIComponent(match[2]!)));
        if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
          res.statusCode = 404;
          return res.end('Not found');
        }
        res.setHeader(
          'Content-Type',
          PHOTO_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        );
        res.setHeader('Content-Length', statSync(file).size);
        for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
        createReadStream(file).pipe(res);
      });
    },
  };
}

function evalViteConfig(outDir: string, port: number, photoFolders: string[]): InlineConfig {
  const app = appConfig as UserConfig;
  return {
    ...app,
    configFile: false,
    logLevel: 'error',
    // public/ holds the test fixture under models/: the eval links only the model it runs.
    publicDir: false,
    plugins: [...(app.plugins ?? []), servePhotoFolders(photoFolders)],
    build: {
      ...app.build,
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: { eval: EVAL_PAGE } },
    },
    preview: { ...app.preview, port, strictPort: true, host: 'localhost' },
  };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .sort();
}

/** Builds the eval page into `outDir` unless an up-to-date build is there. */
async function buildEvalPage(outDir: string): Promise<boolean> {
  const hash = createHash('sha256');
  for (const file of [
    ...filesUnder(resolve('src')),
    resolve('vite.config.ts'),
    resolve('scripts/eval/browser.ts'),
    resolve('package-lock.json'),
  ]) {
    if (existsSync(file)) hash.update(file).update(readFileSync(file));
  }
  const digest = hash.digest('hex');
  const stamp = join(outDir, STAMP);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return false;
  await build(evalViteConfig(outDir, 0, []));
  writeFileSync(stamp, digest);
  return true;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, 'localhost', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** A running eval page and how to reach it. */
export interface EvalBrowser {
  /** Calls one method of the page's API. */
  call<K extends keyof EvalPageApi>(
    method: K,
    ...args: Parameters<EvalPageApi[K]>
  ): Promise<Awaited<ReturnType<EvalPageApi[K]>>>;
  /** The URL of a photo inside photo folder `folder` (its index in `photoFolders`). */
  photoUrl(folder: number, file: string): string;
  /** The model setting the page loads (`local:<id>` for a linked folder). */
  model: string;
  browserVersion: string;
  close(): Promise<void>;
}

export interface EvalBrowserOptions {
  photoFolders: string[];
  /** `org/name` (Hub) or `local:<folder>` (under public/models/, or a path to a model folder). */
  model: string;
  browserArgs: string[];
  log: (line: string) => void;
  /**
   * Where the page is built and served from (default .cache/eval-dist). Runs that may overlap
   * (two test files in parallel) each need their own: the model link under it is replaced per run.
   */
  outDir?: string;
}

/** Where a `local:` model's files are: a folder under public/models/, or a path. */
function localModelDir(name: string): string {
  const inPublic = resolve('public/models', name);
  if (existsSync(join(inPublic, 'config.json'))) return inPublic;
  const asPath = resolve(name);
  if (existsSync(join(asPath, 'config.json'))) return asPath;
  throw new Error(
    `No model folder "${name}": neither public/models/${name}/config.json nor ${asPath}/config.json exists.`,
  );
}

/** Builds (if needed) and serves the eval page, and opens it in headless Chromium. */
export async function openEvalBrowser(options: EvalBrowserOptions): Promise<EvalBrowser> {
  const { log } = options;
  const outDir = resolve(options.outDir ?? '.cache/eval-dist');
  const started = performance.now();
  if (await buildEvalPage(outDir))
    log(`eval page built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  let model = options.model;
  const modelsDir = join(outDir, 'models');
  rmSync(modelsDir, { recursive: true, force: true });
  mkdirSync(modelsDir, { recursive: true });
  let profile: string;
  if (model.startsWith('local:')) {
    const dir = localModelDir(model.slice('local:'.length));
    const id = dir.split(sep).pop()!;
    symlinkSync(dir, join(modelsDir, id), 'dir');
    model = `local:${id}`;
    // A fresh profile: the browser must not answer with an older copy of a regenerated folder.
    profile = mkdtempSync(join(tmpdir(), 'quality-lens-eval-'));
  } else {
    // Hub models are kept in this profile's cache between runs (downloaded once).
    profile = resolve('.cache/eval-profile');
  }
  const folders = options.photoFolders.map((f) => resolve(f));
  const port = await freePort();
  const server = await preview(evalViteConfig(outDir, port, folders));
  const origin = `http://localhost:${port}`;
  let context: BrowserContext | null = null;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? EXECUTABLE,
      headless: true,
      args: [
        ...CHROMIUM_ARGS,
        '--enable-unsafe-webgpu',
        '--enable-features=Vulkan',
        ...options.browserArgs,
      ],
    });
    const page: Page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => log(`[page exception] ${error.message}`));
    await page.goto(`${origin}/${EVAL_PAGE}`);
    await page.waitForFunction(() => 'qualityLensEval' in window);
    const cdp = await context.newCDPSession(page);
    const version = ((await cdp.send('Browser.getVersion')) as { product: string }).product;
    const openContext = context;
    return {
      model,
      browserVersion: version,
      photoUrl: (folder, file) =>
        `${origin}/eval-photos/${folder}/${file.split('/').map(encodeURIComponent).join('/')}`,
      call: (method, ...args) =>
        page.evaluate(
          ([name, list]) => {
            const api = (window as unknown as { qualityLensEval: Record<string, unknown> })
              .qualityLensEval;
            return (api[name] as (...a: unknown[]) => unknown)(...list);
          },
          [method, args] as const,
        ) as never,
      close: async () => {
        await openContext.close();
        await new Promise<void>((done) => server.httpServer.close(() => done()));
        if (profile.startsWith(tmpdir())) rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close();
    await new Promise<void>((done) => server.httpServer.close(() => done()));
    throw error;
  }
}
