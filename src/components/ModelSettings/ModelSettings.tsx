import { useState } from 'react';
import { IMAGE_MODE_LABELS, IMAGE_MODES, type ImageMode } from '../../model/image-mode.ts';
import { PRESETS, presetProblem, type Device, type PresetName } from '../../model/precision.ts';
import { formatModelSource, parseModelSource } from '../../model/source.ts';
import { useModelActions, useModelState } from '../../store/hooks/useModel.ts';

/** Model source, backend and precision, as the person can change them. */
export function ModelSettings() {
  const m = useModelState();
  const { changeModelSettings, setImageMode } = useModelActions();
  const [sourceText, setSourceText] = useState(formatModelSource(m.source));
  const parsedSource = parseModelSource(sourceText.trim());
  const busy = m.status === 'loading' || m.status === 'probing' || m.status === 'inspecting';

  return (
    <form
      className="model-settings"
      onSubmit={(e) => {
        e.preventDefault();
        if (parsedSource) void changeModelSettings({ source: parsedSource });
      }}
    >
      <label>
        Model
        <input
          value={sourceText}
          onChange={(e) => setSourceText(e.target.value)}
          spellCheck={false}
          aria-invalid={!parsedSource}
          title="A Hugging Face id (org/name), or local:<folder> for a folder served under models/"
        />
      </label>
      <button type="submit" disabled={busy || !parsedSource}>
        Use
      </button>
      <label>
        Backend
        <select
          value={m.device ?? 'wasm'}
          disabled={busy}
          onChange={(e) => void changeModelSettings({ device: e.target.value as Device })}
        >
          <option value="webgpu" disabled={!m.caps?.webgpu}>
            WebGPU{m.caps?.webgpu ? '' : ' (unavailable)'}
          </option>
          <option value="wasm">WASM (CPU)</option>
        </select>
      </label>
      <label>
        Precision
        <select
          value={m.preset}
          disabled={busy}
          onChange={(e) => void changeModelSettings({ preset: e.target.value as PresetName })}
        >
          {m.preset === 'custom' && <option value="custom">custom (from the URL)</option>}
          {(Object.keys(PRESETS) as PresetName[]).map((name) => {
            const problem = m.caps && m.device ? presetProblem(name, m.device, m.caps) : null;
            return (
              <option key={name} value={name} disabled={problem !== null}>
                {name}: {PRESETS[name].label}
              </option>
            );
          })}
        </select>
      </label>
      <label>
        Image mode
        <select
          value={m.imageMode}
          onChange={(e) => setImageMode(e.target.value as ImageMode)}
          title="Fast: one 384 px crop (729 image tokens). Reference: the whole picture plus tiles, as the model's own code (transformers) sees it; slower, 1 000–7 500 tokens."
        >
          {IMAGE_MODES.map((mode) => (
            <option key={mode} value={mode}>
              {IMAGE_MODE_LABELS[mode]}
            </option>
          ))}
        </select>
      </label>
      {!parsedSource && <p className="model-settings__problem">Not a model id or local:folder.</p>}
    </form>
  );
}
