/**
 * The `tsgpu` command.
 *
 *   tsgpu kernel --connection-file FILE     run the kernel (Jupyter calls this)
 *   tsgpu install [--user | --sys-prefix | --prefix DIR]
 *   tsgpu uninstall [--user | --sys-prefix | --prefix DIR]
 *   tsgpu doctor [--verbose]
 *
 * Subcommands load lazily: `kernel` starts without loading install or doctor code.
 */
export class UsageError extends Error {
  override name = "UsageError";
}

const USAGE = `usage:
  tsgpu install [--user | --sys-prefix | --prefix DIR]   install the Jupyter kernel (and the JupyterLab extension)
  tsgpu uninstall [--user | --sys-prefix | --prefix DIR] remove them
  tsgpu kernel --connection-file FILE                    run the kernel (Jupyter does this)
  tsgpu doctor [--verbose]                               show what tsgpu finds on this machine`;

interface Flags {
  user?: boolean;
  sysPrefix?: boolean;
  prefix?: string;
  connectionFile?: string;
  verbose?: boolean;
}

function parseFlags(args: string[]): Flags {
  const flags: Flags = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const v = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[++i];
      if (!v) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === "--user") flags.user = true;
    else if (arg === "--sys-prefix") flags.sysPrefix = true;
    else if (arg === "--verbose" || arg === "-v") flags.verbose = true;
    else if (arg === "--prefix" || arg.startsWith("--prefix=")) flags.prefix = value();
    else if (arg === "--connection-file" || arg.startsWith("--connection-file=") || arg === "-f") flags.connectionFile = value();
    else throw new UsageError(`unknown argument "${arg}"`);
  }
  if ([flags.user, flags.sysPrefix, flags.prefix].filter(Boolean).length > 1) throw new UsageError("choose one of --user, --sys-prefix, --prefix");
  return flags;
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "kernel": {
        const flags = parseFlags(rest);
        if (!flags.connectionFile) throw new UsageError("tsgpu kernel needs --connection-file FILE");
        const { startKernel } = require("../protocol/server") as typeof import("../protocol/server");
        // The monitor registers the device comm target and the tensor runtime's hooks in the execution child.
        await startKernel(flags.connectionFile, { childSetupModules: [require.resolve("../monitor/child_setup")], historyFile: historyFile() });
        return;
      }
      case "install":
        return (require("./install") as typeof import("./install")).install(parseFlags(rest));
      case "uninstall":
        return (require("./install") as typeof import("./install")).uninstall(parseFlags(rest));
      case "doctor":
        return (require("./doctor") as typeof import("./doctor")).doctor({ verbose: parseFlags(rest).verbose ?? false });
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(USAGE);
        return;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`tsgpu: ${error.message}\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    console.error(`tsgpu: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

/**
 * Where the kernel keeps input history across sessions, as IPython keeps its
 * own: `<Jupyter data dir>/tsgpu/history.jsonl`. `TSGPU_HISTORY_FILE` names
 * another file; `TSGPU_HISTORY=off` keeps history in memory only.
 */
function historyFile(): string | undefined {
  if (process.env.TSGPU_HISTORY === "off") return undefined;
  if (process.env.TSGPU_HISTORY_FILE) return process.env.TSGPU_HISTORY_FILE;
  const { userDataDir } = require("./jupyter_paths") as typeof import("./jupyter_paths");
  const path = require("node:path") as typeof import("node:path");
  return path.join(userDataDir(), "tsgpu", "history.jsonl");
}
