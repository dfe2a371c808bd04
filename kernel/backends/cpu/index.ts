/** tfjs's own pure-JavaScript `cpu` backend: always there, one thread. */
import type { BackendEntry } from "../backend_entry.js";
import { cpuDeviceName } from "../../util/cpu_device.js";

export const cpuBackend: BackendEntry = {
  name: "cpu",
  async probe(host) {
    const tf = host.tfjs();
    const available = tf.findBackendFactory("cpu") !== null;
    return available
      ? { available, detail: "TensorFlow.js pure-JavaScript kernels, one thread", device: cpuDeviceName() }
      : { available, detail: "@tensorflow/tfjs-backend-cpu is not registered in this tfjs" };
  },
};
