/**
 * A CellExecutor for unit tests: no compiler, no child process. Each cell's
 * result comes from a script the test gives; the test can emit outputs, input
 * requests and restarts as the real executor would.
 */
import type { CellExecutor, CellRequest, CellResult, CommToCells, ExecutionEvents, OpenComms } from "../../../kernel/executor/cell_executor";
import type { ChildToHost, ChildToHostBody } from "../../../kernel/executor/child_protocol";

/** What a scripted cell does while it "runs", then its result. */
export type CellScript = (events: ExecutionEvents, cell: CellRequest) => Promise<CellResult> | CellResult;

export class FakeExecutor implements CellExecutor {
  events!: ExecutionEvents;
  readonly executed: CellRequest[] = [];
  readonly comms: CommToCells[] = [];
  interrupts = 0;
  closed = false;
  readonly pid = 4242;
  /** Results by cell code; cells without one return `ok` with no value. */
  readonly scripts = new Map<string, CellScript>();
  openComms: OpenComms = {};

  listen(events: ExecutionEvents): void {
    this.events = events;
  }

  async execute(cell: CellRequest): Promise<CellResult> {
    this.executed.push(cell);
    const script = this.scripts.get(cell.code);
    return script ? script(this.events, cell) : { status: "ok", userExpressions: {} };
  }

  interrupt(): void {
    this.interrupts++;
  }

  async complete(code: string, offset: number) {
    return { items: [{ name: `${code.slice(0, offset)}Done`, kind: "function" }], start: 0, end: offset };
  }

  async inspect() {
    return { found: false };
  }

  async isComplete(code: string) {
    return code.endsWith("{") ? { status: "incomplete" as const, indent: "  " } : { status: "complete" as const };
  }

  async commInfo(): Promise<OpenComms> {
    return this.openComms;
  }

  sendComm(message: CommToCells): void {
    this.comms.push(message);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** A message from the cells' process, as ExecutionHost would deliver it. */
  fromCells(body: ChildToHostBody): void {
    this.events.message({ ...body, seq: 0 } as ChildToHost);
  }
}
