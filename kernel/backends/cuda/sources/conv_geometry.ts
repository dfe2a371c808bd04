/**
 * The geometry of one 2-D convolution or pooling window, shared by the conv
 * and pool families: `struct conv_geometry`, passed by value, mirrored by
 * `kernel_utils/conv_geometry.ts` (packConvGeometry; keep both in step).
 * NHWC activations; filters [filter_h, filter_w, in_c, out_c] (regular) or
 * [filter_h, filter_w, in_c, channel_multiplier] (depthwise).
 */
export const CONV_GEOMETRY_FIELDS = [
  "batch", "in_h", "in_w", "in_c", "out_h", "out_w", "out_c", "filter_h", "filter_w",
  "stride_h", "stride_w", "dilation_h", "dilation_w", "pad_top", "pad_left", "channel_multiplier",
] as const;

export const CONV_GEOMETRY_HEADER = `
// Mirrored by kernel/backends/cuda/kernel_utils/conv_geometry.ts (packConvGeometry): ${CONV_GEOMETRY_FIELDS.length} int64 fields.
struct conv_geometry { i64 ${CONV_GEOMETRY_FIELDS.join(", ")}; };
`;
