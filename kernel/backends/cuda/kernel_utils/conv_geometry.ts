/**
 * Packs tfjs's Conv2DInfo into `struct conv_geometry` (sources/conv_geometry.ts;
 * keep both in step), and the NHWC checks the conv and pool kernels share.
 */
import type { backend_util } from "@tensorflow/tfjs-core";
import { CudaUnsupportedError } from "../errors";
import { CONV_GEOMETRY_FIELDS } from "../sources/conv_geometry";

/** `struct conv_geometry` for `info`; `channelMultiplier` for depthwise convolutions (1 otherwise). */
export function packConvGeometry(info: backend_util.Conv2DInfo, channelMultiplier = 1): Buffer {
  const values: Record<(typeof CONV_GEOMETRY_FIELDS)[number], number> = {
    batch: info.batchSize,
    in_h: info.inHeight,
    in_w: info.inWidth,
    in_c: info.inChannels,
    out_h: info.outHeight,
    out_w: info.outWidth,
    out_c: info.outChannels,
    filter_h: info.filterHeight,
    filter_w: info.filterWidth,
    stride_h: info.strideHeight,
    stride_w: info.strideWidth,
    dilation_h: info.dilationHeight,
    dilation_w: info.dilationWidth,
    pad_top: info.padInfo.top,
    pad_left: info.padInfo.left,
    channel_multiplier: channelMultiplier,
  };
  const buffer = Buffer.alloc(CONV_GEOMETRY_FIELDS.length * 8);
  CONV_GEOMETRY_FIELDS.forEach((field, i) => buffer.writeBigInt64LE(BigInt(values[field]), i * 8));
  return buffer;
}

/** Refuses NCHW (channelsFirst) layouts: the cuda kernels are NHWC. */
export function requireChannelsLast(kernel: string, info: backend_util.Conv2DInfo): void {
  if (info.dataFormat !== "channelsLast") {
    throw new CudaUnsupportedError(`${kernel}: only NHWC (dataFormat 'NHWC' / channelsLast) is supported on the cuda backend; transpose the input to NHWC`);
  }
}

/** Refuses non-float32 tensors with the kernel's name. */
export function requireFloat32(kernel: string, ...tensors: Array<{ dtype: string } | undefined>): void {
  for (const t of tensors) {
    if (t && t.dtype !== "float32") throw new CudaUnsupportedError(`${kernel}: float32 tensors only on the cuda backend, got ${t.dtype}`);
  }
}
