import { lazy, Suspense, useEffect, useRef } from 'react';
import { Chat } from './components/Chat/Chat.tsx';
import { AttributePanel } from './components/AttributePanel/AttributePanel.tsx';
import { Description } from './components/Description/Description.tsx';
import { GroupNote } from './components/Groups/GroupNote.tsx';
import { GroupStrictness } from './components/Groups/GroupStrictness.tsx';
import { ModelStatus } from './components/ModelStatus/ModelStatus.tsx';
import { PhotoDrop } from './components/PhotoDrop/PhotoDrop.tsx';
import { PhotoNotices } from './components/PhotoNotices/PhotoNotices.tsx';
import { PhotoStrip } from './components/PhotoStrip/PhotoStrip.tsx';
import { PhotoView } from './components/PhotoView/PhotoView.tsx';
import { PixelAnalysis } from './components/PixelAnalysis/PixelAnalysis.tsx';
import { QualityMapPanel } from './components/QualityMap/QualityMapPanel.tsx';
import { SavedShoot } from './components/SavedShoot/SavedShoot.tsx';
import { ScoreCard } from './components/ScoreCard/ScoreCard.tsx';
import { UpdateNotice } from './components/UpdateNotice/UpdateNotice.tsx';
import { WorkProgress } from './components/WorkProgress/WorkProgress.tsx';
import { SharedResultView } from './share/components/SharedResultView.tsx';
import { SharePanel } from './share/components/SharePanel.tsx';
import { useSharedFragment } from './share/useSharedFragment.ts';
import { useChatActions } from './store/hooks/useChat.ts';
import { useModelActions } from './store/hooks/useModel.ts';
import { useSelectedPhoto } from './store/hooks/usePhotos.ts';
import { useIsShoot, useViewMode } from './store/hooks/useCullView.ts';
import { ShootViews } from './cull/components/ShootViews.tsx';
import { ExportButton } from './cull/components/ExportButton.tsx';
import { YourVerdict } from './cull/components/YourVerdict.tsx';
import { isKioskMode } from './kiosk/config.ts';

/** The kiosk (docs/KIOSK.md) is its own chunk: the everyday app never loads it. */
const KioskApp = lazy(() => import('./kiosk/KioskApp.tsx'));
const KIOSK_BUILD = import.meta.env.VITE_KIOSK === '1';

/** Kiosk mode (`?kiosk` or a kiosk build), else the everyday app. */
export function App() {
  if (isKioskMode(window.location.search, KIOSK_BUILD)) {
    return (
      <Suspense fallback={null}>
        <KioskApp />
      </Suspense>
    );
  }
  return <DeskApp />;
}

/** The app shell: photos on the left, the selected photo's analysis on the right. */
function DeskApp() {
  const { initModel } = useModelActions();
  const { initChat } = useChatActions();
  const photo = useSelectedPhoto();
  const isShoot = useIsShoot();
  const viewMode = useViewMode();
  const sharedFragment = useSharedFragment();
  const started = useRef(false);

  useEffect(() => {
    // A shared link opens without the model: nothing is downloaded until the person tries a photo.
    if (sharedFragment !== null || started.current) return;
    started.current = true;
    const params = new URLSearchParams(window.location.search);
    initChat(params);
    void initModel(params);
  }, [initModel, initChat, sharedFragment]);

  if (sharedFragment !== null) return <SharedResultView fragment={sharedFragment} />;

  // The single-photo view: the whole app for one photo, the loupe of a shoot.
  const loupe = photo ? (
    <>
      <div className="app__photo-column">
        <PhotoView photo={photo} />
        <GroupNote photoId={photo.id} />
        {photo.status === 'ready' && <QualityMapPanel photoId={photo.id} />}
        {photo.status === 'ready' && <PixelAnalysis photo={photo} />}
      </div>
      {photo.status === 'ready' && (
        <div className="app__model-column">
          <ScoreCard photo={photo} />
          <YourVerdict photoId={photo.id} />
          <AttributePanel photoId={photo.id} />
          <SharePanel key={`share-${photo.id}`} photo={photo} />
          <Description photoId={photo.id} />
          <Chat key={`chat-${photo.id}`} photoId={photo.id} />
        </div>
      )}
    </>
  ) : (
    <p className="app__empty">
      Add a photo to see its quality score, the five level probabilities and why.
    </p>
  );

  return (
    <div className="app">
      <header className="app__header">
        <h1>Quality Lens</h1>
        <p className="app__tagline">
          Explainable photo quality, computed on this device. Photos never leave it.
        </p>
        {KIOSK_BUILD && (
          <a className="app__kiosk-link" href="./">
            Back to kiosk mode
          </a>
        )}
      </header>
      <UpdateNotice />
      <ModelStatus />
      <div className="app__body">
        <aside className="app__photos">
          <PhotoDrop compact={photo !== null} />
          <SavedShoot />
          <WorkProgress />
          <PhotoNotices />
          <GroupStrictness />
          <ExportButton />
          {viewMode === 'loupe' && <PhotoStrip />}
        </aside>
        {/* One tree for one photo and for a shoot: going from two photos to one (or back) keeps
            the analysis column mounted, with its state (an opened debug view, a chat draft). */}
        <main className="app__main app__main--shoot">
          <ShootViews shoot={isShoot} loupe={<div className="app__loupe">{loupe}</div>} />
        </main>
      </div>
    </div>
  );
}
