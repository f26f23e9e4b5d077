// Long operations in flight, by id, so the renderer can cancel one (`op:cancel`) while it runs.
import { randomUUID } from 'node:crypto';

export interface RunningOperation {
  readonly id: string;
  readonly signal: AbortSignal;
  finish(): void;
}

export class Operations {
  private readonly running = new Map<string, AbortController>();

  start(requestedId?: string): RunningOperation {
    // A renderer-chosen id that is already running gets a fresh one, so two calls never share a cancel.
    const id = requestedId && !this.running.has(requestedId) ? requestedId : randomUUID();
    const controller = new AbortController();
    this.running.set(id, controller);
    return { id, signal: controller.signal, finish: () => this.running.delete(id) };
  }

  cancel(id: string): boolean {
    const controller = this.running.get(id);
    if (!controller) return false;
    controller.abort();
    this.running.delete(id);
    return true;
  }
}
