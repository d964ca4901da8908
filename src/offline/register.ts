/**
 * Registers the offline service worker in production builds, so the app opens with no network once
 * it has been visited (kiosk, plane, a shared link opened again).
 */
export function registerOfflineSupport() {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const url = new URL('./sw.js', document.baseURI);
  navigator.serviceWorker.register(url, { scope: './' }).catch((error: unknown) => {
    console.warn('Offline support is unavailable:', error);
  });
}
