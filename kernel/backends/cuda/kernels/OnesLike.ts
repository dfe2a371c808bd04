import { OnesLike } from "@tensorflow/tfjs-core";
import { fillLikeKernel } from "../kernel_utils/fill";

/** OnesLike: ones of x's shape and dtype. */
export const onesLikeConfig = fillLikeKernel(OnesLike, 1);
