import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { isKioskMode } from './kiosk/config.ts';
import { createIdbArchive } from './persist/archive.ts';
import { reloadOnceForIsolation } from './offline/isolation.ts';
import { registerOfflineSupport } from './offline/register.ts';
import { AppStoreProvider, createAppStore } from './store/index.ts';
import { createBrowserServices } from './store/browser-services.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The kiosk keeps nothing between visitors; the desk app keeps each shoot's results.
const kiosk = isKioskMode(window.location.search, import.meta.env.VITE_KIOSK === '1');
const services = {
  ...createBrowserServices(),
  offline: registerOfflineSupport(),
  archive: kiosk ? undefined : createIdbArchive(),
};
const store = createAppStore(services);
if (services.archive) {
  void store.getState().openArchive();
  // A batch waiting to be written goes before the page does (a crash loses at most ~1 s of it).
  window.addEventListener('pagehide', () => void store.getState().flushSaved());
}
// Once the page has settled, get the pixels worker ready for the first drop.
window.setTimeout(() => services.pixels.warmUp(), 1500);

createRoot(root).render(
  <StrictMode>
    <AppStoreProvider store={store}>
      <App />
    </AppStoreProvider>
  </StrictMode>,
);

// Hosts without COOP/COEP: once the service worker controls the page, it reloads once to be
// cross-origin isolated (offline/isolation.ts), never while the person is at work.
if (services.offline) {
  void reloadOnceForIsolation(() => {
    const s = store.getState();
    return s.photoOrder.length === 0 && s.model.status !== 'loading';
  });
}
