// Child processes that end with the process that started them, however it ends. A supervisor killed with
// SIGKILL cannot pass a signal on: without this its children (web server, worker, database) would run on as
// orphans. On Linux the child is started through util-linux's `setpriv --pdeathsig`, so the kernel sends it
// SIGTERM when its parent dies; elsewhere it is started plainly.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

const SETPRIV = "/usr/bin/setpriv";
const canBind = process.platform === "linux" && existsSync(SETPRIV);

/** `spawn(command, args, options)`, with the child sent SIGTERM when this process dies (Linux). */
export function spawnBoundToParent(command, args, options) {
  return canBind ? spawn(SETPRIV, ["--pdeathsig", "TERM", "--", command, ...args], options) : spawn(command, args, options);
}
