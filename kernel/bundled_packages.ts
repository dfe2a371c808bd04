/**
 * Packages the kernel itself ships, usable from any notebook folder: "tsgpu"
 * always means the kernel's own copy (its display and comms must be the
 * kernel's); the others are used from the kernel only when the notebook's
 * folder does not have them. Shared by the type checker and the module loader.
 */
import path from "node:path";

export const BUNDLED_PACKAGES = ["tsgpu", "@tensorflow/tfjs", "@tensorflow/tfjs-core", "@tensorflow/tfjs-layers"];

/** The root of the tsgpu package (where package.json is). */
export const KERNEL_ROOT = path.resolve(__dirname, "..", "..");

/** The kernel's public API module, for "tsgpu" imports in cells. */
export const KERNEL_API_MODULE = path.join(KERNEL_ROOT, "build", "kernel", "index");
