/**
 * The unattended kiosk: an attract screen with sample photos and one big way in (the camera where
 * there is one, a file otherwise, or a drop), the score and description in large type, and a fresh
 * start after the visitor leaves — everything they brought wiped from memory and storage, never the
 * model. A hidden gesture (five taps on the title) and a PIN let the operator out.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { AttributePanel } from '../components/AttributePanel/AttributePanel.tsx';
import { Chat } from '../components/Chat/Chat.tsx';
import { Description } from '../components/Description/Description.tsx';
import { PhotoView } from '../components/PhotoView/PhotoView.tsx';
import { ScoreCard } from '../components/ScoreCard/ScoreCard.tsx';
import { formatModelSource } from '../model/source.ts';
import { useChatActions } from '../store/hooks/useChat.ts';
import { useModelActions, useModelState, usePhotoScores } from '../store/hooks/useModel.ts';
import { usePhotoActions, usePhotoList, useSelectedPhoto } from '../store/hooks/usePhotos.ts';
import { Camera, hasCamera } from './Camera.tsx';
import { fetchKioskFile, parseKioskSettings, type KioskSettings } from './config.ts';
import { IdleClock } from './idle.ts';
import { OperatorDialog } from './OperatorDialog.tsx';
import { KIOSK_SAMPLES, sampleFile } from './samples.ts';
import { wipeVisitorStorage } from './wipe.ts';
import './kiosk.css';

/** Taps on the title that open the operator dialog, and the time they must fall within. */
const OPERATOR_TAPS = 5;
const OPERATOR_TAP_WINDOW_MS = 3000;

export default function KioskApp() {
  const [settings, setSettings] = useState<KioskSettings | null>(null);
  useEffect(() => {
    document.documentElement.classList.add('kiosk-mode');
    void fetchKioskFile(new URL('./', document.baseURI).href).then((file) =>
      setSettings(
        parseKioskSettings(file, window.location.search, import.meta.env.VITE_DEFAULT_MODEL),
      ),
    );
    return () => document.documentElement.classList.remove('kiosk-mode');
  }, []);
  if (!settings) return <div className="kiosk" aria-busy="true" />;
  return <Kiosk settings={settings} />;
}

function Kiosk({ settings }: { settings: KioskSettings }) {
  const { initModel } = useModelActions();
  const { initChat } = useChatActions();
  const { addFiles, removeAllPhotos } = usePhotoActions();
  const photos = usePhotoList();
  const photo = useSelectedPhoto();
  const scores = usePhotoScores();
  const modelStatus = useModelState().status;
  const [camera, setCamera] = useState<'unknown' | 'yes' | 'no'>('unknown');
  const [cameraOpen, setCameraOpen] = useState(false);
  const [operatorOpen, setOperatorOpen] = useState(false);
  const [countdown, setCountdown] = useState<number | null>(null);
  const [resets, setResets] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const taps = useRef<number[]>([]);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void hasCamera().then((yes) => setCamera(yes ? 'yes' : 'no'));
    if (!settings.model) return;
    const params = new URLSearchParams(window.location.search);
    params.set('model', formatModelSource(settings.model));
    params.delete('hub');
    initChat(params);
    void initModel(params);
  }, [initChat, initModel, settings.model]);

  /** One visitor, one photo: a new one replaces what was there. */
  const showPhoto = useCallback(
    (file: File | undefined) => {
      if (!file) return;
      setProblem(null);
      setCameraOpen(false);
      removeAllPhotos();
      addFiles([file]);
    },
    [addFiles, removeAllPhotos],
  );

  // What the idle clock looks at, read when it fires (not when it was made).
  const visitorState = useRef(false);
  const busy = useRef(false);
  const working = photos.some(
    (p) => p.status === 'decoding' || ['waiting', 'scoring'].includes(scores[p.id]?.status ?? ''),
  );
  useEffect(() => {
    busy.current = working && modelStatus !== 'failed';
  }, [working, modelStatus]);
  const hasState = photos.length > 0 || cameraOpen || operatorOpen || problem !== null;
  useEffect(() => {
    visitorState.current = hasState;
  }, [hasState]);

  const startOver = useCallback(() => {
    setCameraOpen(false);
    setOperatorOpen(false);
    setProblem(null);
    removeAllPhotos();
    void wipeVisitorStorage().then(() => setResets((n) => n + 1));
    window.scrollTo(0, 0);
  }, [removeAllPhotos]);

  const clock = useRef<IdleClock | null>(null);
  useEffect(() => {
    const idle = new IdleClock({
      idleMs: settings.idleSeconds * 1000,
      countdownMs: settings.countdownSeconds * 1000,
      hasVisitorState: () => visitorState.current || window.location.hash !== '',
      isBusy: () => busy.current,
      onCountdown: setCountdown,
      onReset: startOver,
    });
    clock.current = idle;
    const activity = () => idle.activity();
    const events = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'input'];
    for (const e of events) window.addEventListener(e, activity, { passive: true, capture: true });
    return () => {
      idle.stop();
      for (const e of events) window.removeEventListener(e, activity, { capture: true });
    };
  }, [settings.idleSeconds, settings.countdownSeconds, startOver]);

  // A photo dropped anywhere; the operator's keyboard way in (Ctrl+Alt+O).
  useEffect(() => {
    const over = (e: DragEvent) => e.preventDefault();
    const drop = (e: DragEvent) => {
      e.preventDefault();
      showPhoto(e.dataTransfer?.files[0]);
    };
    const key = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.altKey && e.key.toLowerCase() === 'o') setOperatorOpen(true);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    window.addEventListener('keydown', key);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
      window.removeEventListener('keydown', key);
    };
  }, [showPhoto]);

  const tapTitle = () => {
    const now = Date.now();
    taps.current = [...taps.current.filter((t) => now - t < OPERATOR_TAP_WINDOW_MS), now];
    if (taps.current.length >= OPERATOR_TAPS) {
      taps.current = [];
      setOperatorOpen(true);
    }
  };

  const leave = () => {
    const url = new URL(window.location.href);
    url.searchParams.set('kiosk', 'off');
    url.hash = '';
    window.location.assign(url.href);
  };

  const trySample = (index: number) => {
    const sample = KIOSK_SAMPLES[index]!;
    sampleFile(sample).then(showPhoto, (error: unknown) =>
      setProblem(`The sample could not be opened (${String(error)}).`),
    );
  };

  const ways = (
    <div className="kiosk__ways">
      {camera === 'yes' && (
        <button
          type="button"
          className="kiosk-button kiosk-button--primary kiosk-button--huge"
          onClick={() => setCameraOpen(true)}
        >
          {photo ? 'Take another photo' : 'Take a photo'}
        </button>
      )}
      <button
        type="button"
        className={`kiosk-button kiosk-button--huge ${camera === 'yes' ? '' : 'kiosk-button--primary'}`}
        onClick={() => input.current?.click()}
      >
        {photo ? 'Choose another photo' : 'Choose a photo'}
      </button>
      <input
        ref={input}
        type="file"
        accept="image/*,.heic,.heif,.tif,.tiff"
        hidden
        data-testid="kiosk-photo-input"
        onChange={(e) => {
          showPhoto(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
    </div>
  );

  return (
    <div
      className="kiosk"
      data-testid="kiosk"
      data-view={photo ? 'photo' : 'attract'}
      data-resets={resets}
      data-camera={camera}
    >
      <header className="kiosk__header">
        {/* Five quick taps here open the operator dialog (docs/KIOSK.md). */}
        <h1 className="kiosk__title" onClick={tapTitle} data-testid="kiosk-title">
          Quality Lens
        </h1>
        <KioskModelLine configured={settings.model !== null} />
        {photo && (
          <button type="button" className="kiosk-button" onClick={startOver}>
            Start over
          </button>
        )}
      </header>

      {problem && (
        <p className="kiosk__problem" role="alert">
          {problem}
        </p>
      )}

      {photo ? (
        <main className="kiosk__result">
          <div className="kiosk__photo">
            <PhotoView photo={photo} />
            {ways}
          </div>
          <div className="kiosk__answers">
            {photo.status === 'ready' && (
              <>
                <ScoreCard photo={photo} />
                <AttributePanel photoId={photo.id} />
                <Description photoId={photo.id} />
                <Chat key={`chat-${photo.id}`} photoId={photo.id} />
              </>
            )}
          </div>
        </main>
      ) : (
        <main className="kiosk__attract">
          <h2 className="kiosk__headline">How good is your photo?</h2>
          <p className="kiosk__lead">
            A quality score from 1 to 5, and why — worked out on this computer. Your photo never
            leaves it and is forgotten when you go.
          </p>
          {ways}
          <section className="kiosk__samples" aria-labelledby="samples-title">
            <h3 id="samples-title">Or try one of ours</h3>
            <ul>
              {KIOSK_SAMPLES.map((sample, i) => (
                <li key={sample.file}>
                  <button type="button" onClick={() => trySample(i)} data-testid="kiosk-sample">
                    <img src={sample.url} alt="" />
                    <span>{sample.label}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
          <p className="kiosk__hint">You can also drop a photo anywhere on this screen.</p>
        </main>
      )}

      {cameraOpen && <Camera onPhoto={showPhoto} onClose={() => setCameraOpen(false)} />}
      {operatorOpen && (
        <OperatorDialog
          pinSha256={settings.pinSha256}
          onLeave={leave}
          onClose={() => setOperatorOpen(false)}
        />
      )}
      {countdown !== null && (
        <div
          className="kiosk-overlay"
          role="alertdialog"
          aria-modal="true"
          aria-labelledby="countdown-title"
          aria-describedby="countdown-text"
          data-testid="kiosk-countdown"
        >
          <div className="kiosk-countdown">
            <p className="kiosk-countdown__number" aria-hidden="true">
              {countdown}
            </p>
            <h2 id="countdown-title">Still there?</h2>
            <p id="countdown-text">
              Starting over in {countdown} s. Your photo and its results will be wiped.
            </p>
            <button
              type="button"
              className="kiosk-button kiosk-button--primary kiosk-button--huge"
              onClick={() => clock.current?.activity()}
            >
              Keep going
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

/** The model's state in one line: visitors see "getting ready"; the operator sees what is wrong. */
function KioskModelLine({ configured }: { configured: boolean }) {
  const m = useModelState();
  let text: string;
  if (!configured) {
    text =
      'No local model is set for this kiosk. Build it with npm run kiosk:bundle -- --model <folder>, or add ?model=local:<folder>.';
  } else if (m.status === 'ready') text = 'Ready';
  else if (m.status === 'failed')
    text = `The quality model could not be loaded: ${m.error?.message ?? 'unknown error'}`;
  else if (m.status === 'loading') text = m.stage ?? 'Loading the quality model…';
  else text = 'Getting ready…';
  const problem = !configured || m.status === 'failed';
  return (
    <p
      className={`kiosk__model ${problem ? 'kiosk__model--problem' : ''}`}
      data-testid="kiosk-model"
      data-status={configured ? m.status : 'no-model'}
      role={problem ? 'alert' : 'status'}
    >
      {text}
    </p>
  );
}
