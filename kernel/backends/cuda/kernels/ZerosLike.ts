import { ZerosLike } from "@tensorflow/tfjs-core";
import { fillLikeKernel } from "../kernel_utils/fill";

/** ZerosLike: zeros of x's shape and dtype. */
export const zerosLikeConfig = fillLikeKernel(ZerosLike, 0);
