import { useEffect, useRef, useState } from 'react';

/** Whether this device has a camera the page may ask for (labels need no permission here). */
export async function hasCamera(): Promise<boolean> {
  try {
    if (!navigator.mediaDevices?.getUserMedia) return false;
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.some((d) => d.kind === 'videoinput');
  } catch {
    return false;
  }
}

/** A frame of the live video as a JPEG file, drawn at the camera's own resolution. */
async function captureFrame(video: HTMLVideoElement): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const ctx = canvas.getContext('2d');
  if (!ctx || canvas.width === 0) throw new Error('the camera gave no picture yet');
  ctx.drawImage(video, 0, 0);
  const blob = await new Promise<Blob | null>((res) => canvas.toBlob(res, 'image/jpeg', 0.92));
  if (!blob) throw new Error('the picture could not be encoded');
  const stamp = new Date().toISOString().slice(11, 19).replaceAll(':', '-');
  return new File([blob], `camera-${stamp}.jpg`, { type: 'image/jpeg', lastModified: Date.now() });
}

/**
 * The live camera, full screen, with one big shutter button. The stream stops when it closes,
 * and whatever goes wrong (no permission, camera busy) is said in words with a way back.
 */
export function Camera({ onPhoto, onClose }: { onPhoto(file: File): void; onClose(): void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [live, setLive] = useState(false);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let cancelled = false;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'user', width: { ideal: 1920 } }, audio: false })
      .then(async (s) => {
        if (cancelled) return s.getTracks().forEach((t) => t.stop());
        stream = s;
        const el = video.current;
        if (!el) return;
        el.srcObject = s;
        await el.play();
        setLive(true);
      })
      .catch((error: unknown) => {
        const name = error instanceof Error ? error.name : '';
        setProblem(
          name === 'NotAllowedError'
            ? 'The camera is not allowed on this kiosk. Choose a photo instead.'
            : `The camera could not be opened (${name || String(error)}). Choose a photo instead.`,
        );
      });
    return () => {
      cancelled = true;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  const shoot = () => {
    const el = video.current;
    if (!el) return;
    captureFrame(el).then(onPhoto, (error: unknown) =>
      setProblem(`No photo was taken: ${error instanceof Error ? error.message : String(error)}.`),
    );
  };

  return (
    <div className="kiosk-camera" role="dialog" aria-modal="true" aria-label="Take a photo">
      <video
        ref={video}
        className="kiosk-camera__video"
        muted
        playsInline
        data-testid="camera-video"
      />
      {problem && (
        <p className="kiosk-camera__problem" role="alert">
          {problem}
        </p>
      )}
      <div className="kiosk-camera__controls">
        <button type="button" className="kiosk-button" onClick={onClose}>
          Back
        </button>
        <button
          type="button"
          className="kiosk-button kiosk-button--primary kiosk-camera__shutter"
          onClick={shoot}
          disabled={!live}
        >
          Take the photo
        </button>
      </div>
    </div>
  );
}
