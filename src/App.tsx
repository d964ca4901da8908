import { useEffect } from 'react';
import { Chat } from './components/Chat/Chat.tsx';
import { Description } from './components/Description/Description.tsx';
import { ModelStatus } from './components/ModelStatus/ModelStatus.tsx';
import { PhotoDrop } from './components/PhotoDrop/PhotoDrop.tsx';
import { PhotoStrip } from './components/PhotoStrip/PhotoStrip.tsx';
import { PhotoView } from './components/PhotoView/PhotoView.tsx';
import { PixelAnalysis } from './components/PixelAnalysis/PixelAnalysis.tsx';
import { ScoreCard } from './components/ScoreCard/ScoreCard.tsx';
import { WorkProgress } from './components/WorkProgress/WorkProgress.tsx';
import { useChatActions } from './store/hooks/useChat.ts';
import { useModelActions } from './store/hooks/useModel.ts';
import { useSelectedPhoto } from './store/hooks/usePhotos.ts';

/** The app shell: photos on the left, the selected photo's analysis on the right. */
export function App() {
  const { initModel } = useModelActions();
  const { initChat } = useChatActions();
  const photo = useSelectedPhoto();

  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    initChat(params);
    void initModel(params);
  }, [initModel, initChat]);

  return (
    <div className="app">
      <header className="app__header">
        <h1>Quality Lens</h1>
        <p className="app__tagline">
          Explainable photo quality, computed on this device. Photos never leave it.
        </p>
      </header>
      <ModelStatus />
      <div className="app__body">
        <aside className="app__photos">
          <PhotoDrop compact={photo !== null} />
          <WorkProgress />
          <PhotoStrip />
        </aside>
        <main className="app__main">
          {photo ? (
            <>
              <div className="app__photo-column">
                <PhotoView photo={photo} />
                {photo.status === 'ready' && <PixelAnalysis photo={photo} />}
              </div>
              {photo.status === 'ready' && (
                <div className="app__model-column">
                  <ScoreCard photoId={photo.id} />
                  <Description photoId={photo.id} />
                  <Chat key={photo.id} photoId={photo.id} />
                </div>
              )}
            </>
          ) : (
            <p className="app__empty">
              Add a photo to see its quality score, the five level probabilities and why.
            </p>
          )}
        </main>
      </div>
    </div>
  );
}
