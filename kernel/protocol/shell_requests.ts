/**
 * Contents of the shell replies that are answered at once (also while a cell
 * runs): kernel_info, complete, inspect, is_complete, history. Cursor positions
 * travel in code points (protocol 5.2) and are converted for the compiler,
 * which counts UTF-16 units.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { codePointsToUtf16, utf16ToCodePoints } from "../compiler/code_points";
import type { CellExecutor } from "../executor/cell_executor";
import type { History } from "./history";
import type { CompleteRequest, HistoryRequest, InspectRequest, JsonObject } from "./messages";
import { PROTOCOL_VERSION } from "./messages";

const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");
const readVersion = (file: string) => (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;

/** kernel_info_reply content; `debuggerSupported`: the kernel answers debug_request (Jupyter debug protocol). */
export function kernelInfo(debuggerSupported = false): JsonObject {
  const typescriptVersion = readVersion(require.resolve("typescript/package.json"));
  return {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "tsgpu",
    debugger: debuggerSupported,
    implementation_version: readVersion(path.join(PACKAGE_ROOT, "package.json")),
    language_info: {
      name: "typescript",
      version: typescriptVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      pygments_lexer: "typescript",
      codemirror_mode: { name: "javascript", typescript: true },
      nbconvert_exporter: "script",
    },
    banner: `tsgpu ${readVersion(path.join(PACKAGE_ROOT, "package.json"))}: TypeScript ${typescriptVersion} on Node.js ${process.versions.node}`,
    help_links: [
      { text: "tsgpu", url: "https://www.npmjs.com/package/tsgpu" },
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
      { text: "TensorFlow.js API", url: "https://js.tensorflow.org/api/latest/" },
      { text: "Node.js API", url: `https://nodejs.org/docs/v${process.versions.node}/api/` },
    ],
    supported_features: debuggerSupported ? ["debugger"] : [],
  };
}

/** complete_reply content. */
export async function completeReply(executor: CellExecutor, content: CompleteRequest): Promise<JsonObject> {
  const { code, cursor_pos } = content;
  const offset = codePointsToUtf16(code, cursor_pos ?? code.length);
  const result = await executor.complete(code, offset);
  const start = utf16ToCodePoints(code, result.start);
  const end = utf16ToCodePoints(code, result.end);
  return {
    status: "ok",
    matches: result.items.map((item) => item.name),
    cursor_start: start,
    cursor_end: end,
    metadata: {
      _jupyter_types_experimental: result.items.map((item) => ({ start, end, text: item.name, type: item.kind, signature: item.signature ?? "" })),
    },
  };
}

/** inspect_reply content: signature, documentation and tags as text and markdown. */
export async function inspectReply(executor: CellExecutor, content: InspectRequest): Promise<JsonObject> {
  const { code, cursor_pos, detail_level } = content;
  const offset = codePointsToUtf16(code, cursor_pos ?? code.length);
  const info = await executor.inspect(code, offset, detail_level ?? 0);
  const data: JsonObject = {};
  if (info.found) {
    const parts = [info.signature, info.documentation, ...(info.tags ?? [])].filter(Boolean);
    data["text/plain"] = parts.join("\n\n");
    data["text/markdown"] = [`\`\`\`typescript\n${info.signature}\n\`\`\``, info.documentation, ...(info.tags ?? []).map((t) => `*${t}*`)].filter(Boolean).join("\n\n");
  }
  return { status: "ok", found: info.found, data, metadata: {} };
}

/** history_reply content (tail, range or search). */
export function historyReply(history: History, request: HistoryRequest): JsonObject {
  const entries =
    request.hist_access_type === "tail" ? history.tail(request.n ?? 10)
    : request.hist_access_type === "range" ? history.range(request.session ?? 0, request.start ?? 0, request.stop)
    : request.hist_access_type === "search" ? history.search(request.pattern ?? "*", request.n, request.unique ?? false)
    : [];
  return { status: "ok", history: entries.map((e) => (request.output ? [e.session, e.line, [e.input, e.output ?? null]] : [e.session, e.line, e.input])) };
}
