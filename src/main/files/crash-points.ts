// Named points between the system calls of a write, where the crash-safety proof kills its child process.
// Production never sets a hook, so each point costs one undefined check.

export type CrashPointHook = (point: string) => void;

let hook: CrashPointHook | undefined;

/** Test-only: called at every crash point (the crash proof SIGKILLs its own process at the k-th one). */
export function setCrashPointHook(h: CrashPointHook | undefined): void {
  hook = h;
}

export function crashPoint(point: string): void {
  hook?.(point);
}
