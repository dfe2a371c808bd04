/**
 * Chrome DevTools Protocol remote objects as Debug Adapter Protocol variables:
 * a short value string, a type, and whether it can be expanded. A tfjs tensor
 * is described by its shape, dtype and backend (read from the object in the
 * child), not by its internals.
 */
import type { Inspector } from "../../executor/inspector_connection";

/** CDP Runtime.RemoteObject (the fields used here). */
export interface RemoteObject {
  type: string;
  subtype?: string;
  className?: string;
  value?: unknown;
  unserializableValue?: string;
  description?: string;
  objectId?: string;
}

/** CDP Runtime.PropertyDescriptor (the fields used here). */
export interface PropertyDescriptor {
  name: string;
  value?: RemoteObject;
  get?: RemoteObject;
  enumerable?: boolean;
  isOwn?: boolean;
}

/** Runs in the child with `this` bound to the object: a one-line tensor description, or null. */
const DESCRIBE_TENSOR = `function () {
  if (!this || !Array.isArray(this.shape) || typeof this.dtype !== "string" || this.dataId === undefined) return null;
  let backend = "";
  try {
    const engine = globalThis._tfengine;
    const info = engine && engine.state.tensorInfo.get(this.dataId);
    if (info) backend = Object.keys(engine.registry).find((name) => engine.registry[name] === info.backend) || "";
  } catch (error) {}
  const disposed = this.isDisposed ? " (disposed)" : "";
  return "Tensor " + this.dtype + "[" + this.shape.join(", ") + "]" + (backend ? " on " + backend : "") + disposed;
}`;

/** Class names tfjs gives its tensors (Variable extends Tensor). */
const TENSOR_CLASSES = new Set(["Tensor", "Variable"]);

export function isTensorLike(object: RemoteObject): boolean {
  return object.type === "object" && object.className !== undefined && TENSOR_CLASSES.has(object.className);
}

/** "shape, dtype, backend" of a tensor in the child, or undefined when it is no tensor. */
export async function describeTensor(inspector: Inspector, object: RemoteObject): Promise<string | undefined> {
  if (!object.objectId) return undefined;
  const reply = await inspector.post<{ result: RemoteObject }>("Runtime.callFunctionOn", { objectId: object.objectId, functionDeclaration: DESCRIBE_TENSOR, returnByValue: true });
  return typeof reply.result.value === "string" ? reply.result.value : undefined;
}

/** The value column of a variable: primitives as the REPL writes them, objects by their description. */
export function valueText(object: RemoteObject): string {
  switch (object.type) {
    case "string":
      return JSON.stringify(object.value);
    case "undefined":
      return "undefined";
    case "bigint":
      return object.unserializableValue ?? object.description ?? "";
    case "number":
      return object.unserializableValue ?? String(object.value);
    case "boolean":
      return String(object.value);
    case "symbol":
      return object.description ?? "Symbol()";
    case "function":
      return (object.description ?? "function").split("\n")[0]!.slice(0, 120);
    default:
      if (object.subtype === "null") return "null";
      return object.description ?? object.className ?? "Object";
  }
}

/** The type column: the class name for objects, the JavaScript type otherwise. */
export function typeText(object: RemoteObject): string {
  if (object.type === "object") return object.subtype === "null" ? "null" : object.className ?? "Object";
  return object.type;
}

/** Whether a variable can be expanded (objects, not functions or null). */
export function isExpandable(object: RemoteObject): boolean {
  return object.type === "object" && object.subtype !== "null" && object.objectId !== undefined;
}
