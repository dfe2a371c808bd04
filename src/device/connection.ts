/**
 * Adapts a `@jupyterlab/services` kernel connection to the model's
 * {@link DeviceKernel} view: one comm to the device target, message data out.
 */
import type { Kernel } from "@jupyterlab/services";
import type { DeviceChannel, DeviceChannelHandlers, DeviceKernel } from "./model";

/** A {@link DeviceKernel} over a live kernel connection. */
export function deviceKernel(kernel: Kernel.IKernelConnection, displayName: string): DeviceKernel {
  return {
    id: kernel.id,
    displayName,
    openComm(targetName: string, handlers: DeviceChannelHandlers): DeviceChannel {
      const comm = kernel.createComm(targetName);
      comm.onMsg = (msg) => handlers.onMessage(msg.content.data);
      comm.onClose = () => handlers.onClose();
      // The open carries no request: the contract has the front end ask with comm messages.
      comm.open({});
      return {
        send: (data) => {
          if (comm.isDisposed) throw new Error("the device comm was disposed (kernel restarted or shut down)");
          comm.send({ ...data });
        },
        close: () => {
          if (!comm.isDisposed) comm.close();
        },
      };
    },
  };
}
