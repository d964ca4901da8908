/**
 * The app's model worker (src/model/worker/index.ts), unchanged, with every onnxruntime
 * `session.run` timed: the benchmark divides the app's end-to-end time by the sum of these runs.
 * Only the benchmark page (src/bench/) starts this worker; the app never does.
 *
 * Import order matters: the timing wrapper must be installed before the app's worker creates any
 * session (modules evaluate in import order). The app's message handler ignores bench messages.
 */
import './session-timing.ts';
import '../../model/worker/index.ts';
