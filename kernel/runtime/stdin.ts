/**
 * Reading input from the notebook user (spec "Messages on the stdin ROUTER/DEALER
 * channel"). `prompt()` blocks like the browser's; `promptAsync()` awaits.
 * Both fail with {@link StdinNotAllowedError} when the front end said
 * `allow_stdin: false` (e.g. a notebook run by nbconvert).
 */
export class StdinNotAllowedError extends Error {
  override name = "StdinNotAllowedError";
  constructor() {
    super("input was requested, but this front end does not accept input (allow_stdin is false); pass the value in code instead");
  }
}

export interface InputOptions {
  /** Hide what is typed (input_request `password`). */
  password?: boolean;
}

/** Installed by the kernel's execution process. */
export interface StdinSink {
  promptSync(message: string, password: boolean): string;
  prompt(message: string, password: boolean): Promise<string>;
}

const SINK_KEY = Symbol.for("tsgpu.stdin.sink");
type Holder = { [SINK_KEY]?: StdinSink };

export function setStdinSink(sink: StdinSink | undefined): void {
  (globalThis as Holder)[SINK_KEY] = sink;
}

function sink(): StdinSink {
  const s = (globalThis as Holder)[SINK_KEY];
  if (!s) throw new StdinNotAllowedError();
  return s;
}

/** Asks the user for a line of text and waits (blocking) for it. */
export function promptSync(message = "", options: InputOptions = {}): string {
  return sink().promptSync(message, options.password ?? false);
}

/** Asks the user for a line of text. */
export function promptAsync(message = "", options: InputOptions = {}): Promise<string> {
  return sink().prompt(message, options.password ?? false);
}
