/**
 * The `tensorflow` backend of @tensorflow/tfjs-node(-gpu), used only when the
 * user already has it installed and it loads (its install downloads
 * libtensorflow 2.9 and it binds CUDA 11.2 only, so tsgpu never installs it).
 * Its package registers `tensorflow` at priority 3 on import; tsgpu
 * re-registers the same factory at priority 0 so loading it for a probe does
 * not change the user's default backend.
 */
import { type BackendEntry, reasonOf } from "../backend_entry.js";

const PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"];

export const tensorflowBackend: BackendEntry = {
  name: "tensorflow",
  async probe(host) {
    const installed = PACKAGES.find((name) => {
      try {
        require.resolve(name);
        return true;
      } catch {
        return false;
      }
    });
    if (!installed) return { available: false, detail: "@tensorflow/tfjs-node(-gpu) is not installed (optional; it needs libtensorflow and CUDA 11.2)" };
    try {
      if (!host.sharesTfjsCore(installed)) return { available: false, detail: `${installed} uses its own copy of @tensorflow/tfjs-core; run npm dedupe` };
      const tf = host.tfjs();
      require(installed);
      const factory = tf.findBackendFactory("tensorflow");
      if (!factory) return { available: false, detail: `${installed} loaded but registered no "tensorflow" backend` };
      tf.removeBackend("tensorflow");
      tf.registerBackend("tensorflow", factory, 0);
      return { available: true, detail: `${installed} (libtensorflow)`, device: installed.endsWith("gpu") ? "libtensorflow (CUDA)" : "libtensorflow (CPU)" };
    } catch (error) {
      return { available: false, detail: `${installed} is installed but does not load: ${reasonOf(error)}` };
    }
  },
};
