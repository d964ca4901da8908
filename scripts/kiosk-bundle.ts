/**
 * Writes one folder to copy onto a kiosk machine: the app built in kiosk mode, the model folder
 * inside it, kiosk.json (timings, the operator PIN's SHA-256, the model), a zero-dependency server
 * (serve.mjs), a start script and a README. Nothing in it reaches the network.
 *
 *   npm run kiosk:bundle -- --model <folder> [--out kiosk-bundle] [--pin 4711]
 *                           [--idle 90] [--countdown 10] [--port 8080]
 *
 * Without --pin a random 6-digit PIN is made and printed once (only its hash is written).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COUNTDOWN_BOUNDS, IDLE_BOUNDS } from '../src/kiosk/config.ts';
import { parseModelSource } from '../src/model/source.ts';
import { contentSecurityPolicy } from '../src/offline/worker/content-policy.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface KioskBundleOptions {
  model: string;
  out: string;
  pin?: string;
  idleSeconds?: number;
  countdownSeconds?: number;
  port?: number;
}

/** Why a folder cannot be a kiosk's model, or null when it can. */
export function modelFolderProblem(folder: string): string | null {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return `${folder} is not a folder`;
  for (const file of ['config.json', 'tokenizer.json', 'preprocessor_config.json']) {
    if (!existsSync(join(folder, file))) return `${folder} has no ${file}`;
  }
  const onnx = join(folder, 'onnx');
  const graphs = existsSync(onnx) ? readdirSync(onnx).filter((f) => f.endsWith('.onnx')) : [];
  for (const graph of ['vision_encoder', 'embed_tokens', 'decoder_model_merged']) {
    if (!graphs.some((f) => f.startsWith(graph))) return `${folder}/onnx has no ${graph}*.onnx`;
  }
  return null;
}

const clamp = (v: number | undefined, b: { min: number; max: number; default: number }) =>
  v === undefined || !Number.isFinite(v) ? b.default : Math.min(b.max, Math.max(b.min, v));

export function writeKioskBundle(options: KioskBundleOptions): { pin: string; app: string } {
  const modelDir = resolve(options.model);
  const problem = modelFolderProblem(modelDir);
  if (problem) throw new Error(`Not a model folder: ${problem}.`);
  const name = basename(modelDir);
  if (!parseModelSource(`local:${name}`)) {
    throw new Error(`The model folder's name “${name}” must be letters, digits, . _ or -.`);
  }
  const pin = options.pin ?? String(randomInt(0, 1_000_000)).padStart(6, '0');
  if (!/^\d{4,12}$/.test(pin)) throw new Error('A PIN is 4 to 12 digits.');

  const out = resolve(options.out);
  const app = join(out, 'app');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  execFileSync('npx', ['vite', 'build', '--outDir', app, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, VITE_KIOSK: '1', VITE_DEFAULT_MODEL: `local:${name}` },
  });
  // The build copies every model in public/models; the kiosk carries only its own.
  rmSync(join(app, 'models'), { recursive: true, force: true });
  cpSync(modelDir, join(app, 'models', name), { recursive: true });

  const settings = {
    model: `local:${name}`,
    idleSeconds: clamp(options.idleSeconds, IDLE_BOUNDS),
    countdownSeconds: clamp(options.countdownSeconds, COUNTDOWN_BOUNDS),
    pinSha256: createHash('sha256').update(pin).digest('hex'),
  };
  writeFileSync(join(app, 'kiosk.json'), `${JSON.stringify(settings, null, 2)}\n`);
  copyFileSync(join(ROOT, 'scripts/kiosk/serve.mjs'), join(out, 'serve.mjs'));
  // The same policy the build's <meta> tag carries, sent as a header (it also covers the workers).
  writeFileSync(
    join(out, 'serve-headers.json'),
    `${JSON.stringify({ 'Content-Security-Policy': contentSecurityPolicy() }, null, 2)}\n`,
  );
  const port = options.port ?? 8080;
  writeFileSync(join(out, 'start-kiosk.sh'), startScript(port));
  chmodSync(join(out, 'start-kiosk.sh'), 0o755);
  writeFileSync(join(out, 'README.md'), bundleReadme(name, settings, port));
  return { pin, app };
}

function startScript(port: number): string {
  return `#!/bin/sh
# Starts the kiosk: its own server on this computer, then the browser full screen on it.
cd "$(dirname "$0")"
node serve.mjs --port ${port} &
server=$!
trap 'kill $server' EXIT
sleep 1
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || echo chromium)
"$browser" --kiosk --no-first-run --disable-translate --disable-features=Translate \\
  --noerrdialogs --disable-session-crashed-bubble --disable-pinch --overscroll-history-navigation=0 \\
  --autoplay-policy=no-user-gesture-required \\
  --user-data-dir="$HOME/.quality-lens-kiosk" http://localhost:${port}/
`;
}

function bundleReadme(
  name: string,
  settings: { idleSeconds: number; countdownSeconds: number },
  port: number,
): string {
  return `# Quality Lens kiosk

This folder is a complete kiosk: the app (\`app/\`), its model (\`app/models/${name}/\`), its own
server (\`serve.mjs\`) and a start script. It needs no network. Copy the whole folder onto the kiosk
computer.

## Run it

1. Install Node.js 18 or later and Chromium (or Chrome).
2. \`./start-kiosk.sh\` starts the server on http://localhost:${port}/ (this computer only) and
   the browser full screen on it. Or by hand: \`node serve.mjs --port ${port}\`, then open
   http://localhost:${port}/ in a browser started with \`--kiosk\`.
3. To start it when the computer starts, see docs/KIOSK.md in the project (autostart entries for
   Linux desktops, systemd and Windows).

## Settings (app/kiosk.json)

- \`idleSeconds\` (now ${settings.idleSeconds}): seconds without a touch before the countdown to a fresh start.
- \`countdownSeconds\` (now ${settings.countdownSeconds}): how long the visitor sees "Still there?" before everything they
  left (photos, results, chat, anything in the browser's storage but the model) is wiped.
- \`pinSha256\`: the operator PIN's SHA-256. Change the PIN with \`node serve.mjs --set-pin 4711\`.

Reload the page (or restart) after changing them.

## Leave kiosk mode (operator)

Tap the title "Quality Lens" five times within three seconds (or press Ctrl+Alt+O), enter the PIN,
and choose "Leave kiosk mode". The everyday app opens, with its settings; its "Back to kiosk
mode" link returns.
`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      out: { type: 'string', default: 'kiosk-bundle' },
      pin: { type: 'string' },
      idle: { type: 'string' },
      countdown: { type: 'string' },
      port: { type: 'string' },
    },
  });
  if (!values.model) {
    console.error(
      'Usage: npm run kiosk:bundle -- --model <folder> [--out kiosk-bundle] [--pin 4711]',
    );
    process.exit(1);
  }
  try {
    const started = Date.now();
    const { pin } = writeKioskBundle({
      model: values.model,
      out: values.out,
      pin: values.pin,
      idleSeconds: values.idle ? Number(values.idle) : undefined,
      countdownSeconds: values.countdown ? Number(values.countdown) : undefined,
      port: values.port ? Number(values.port) : undefined,
    });
    console.log(`Kiosk bundle written to ${resolve(values.out)} in ${Date.now() - started} ms.`);
    if (!values.pin) console.log(`Operator PIN: ${pin} (shown once; only its hash is kept).`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
