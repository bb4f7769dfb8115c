import { type ChildProcess, spawn } from "node:child_process";

export type RunningNodeProcess = { child: ChildProcess; output(): string; stop(): Promise<void> };

/**
 * Starts a built entry point as its own Node process with only the environment given (plus PATH
 * and HOME), and resolves once its output matches `readyPattern`.
 */
export function startNodeProcess(options: {
  name: string;
  entry: string;
  env: Record<string, string>;
  readyPattern: RegExp;
  timeoutMs?: number;
}): Promise<RunningNodeProcess> {
  const child = spawn(process.execPath, [options.entry], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "test", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(killer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${options.name} was not ready within ${options.timeoutMs ?? 30_000} ms:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.readyPattern.test(output)) {
        clearTimeout(timer);
        resolve({ child, output: () => output, stop });
      }
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with ${code} before it was ready:\n${output}`));
    });
  });
}
