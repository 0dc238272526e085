// A Node child process driven over IPC: it sends {type:'ready'} once up, then answers each request
// {id, …} with {type:'reply', id, value} or {type:'error', id, message}.
import { type ChildProcess, spawn } from 'node:child_process';

export type ChildMessage =
  { type: 'ready' } | { type: 'reply'; id: number; value: unknown } | { type: 'error'; id?: number; message: string };

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class IpcChild {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exitReason?: string;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly name: string,
  ) {
    this.exited = new Promise((resolveFn) => {
      child.once('exit', (code, signal) => {
        this.exitReason = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        this.failAll(new Error(`${name} ${this.exitReason}`));
        resolveFn();
      });
      child.once('error', (error) => {
        this.exitReason ??= `could not start: ${error.message}`;
        this.failAll(new Error(`${name} ${this.exitReason}`));
        resolveFn();
      });
    });
    child.on('message', (message: ChildMessage) => this.onMessage(message));
  }

  /** Starts `node <nodeArgs…>` with this very Node binary; its stdout goes to our stderr. Then await ready(). */
  static spawn(name: string, nodeArgs: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): IpcChild {
    const child = spawn(process.execPath, nodeArgs, { ...options, stdio: ['ignore', 2, 'inherit', 'ipc'] });
    return new IpcChild(child, name);
  }

  /** Resolves on the child's {type:'ready'}; rejects when it reports an error or exits first. */
  ready(): Promise<void> {
    return new Promise<void>((resolveFn, reject) => {
      if (this.exitReason) {
        reject(new Error(`${this.name} ${this.exitReason}`));
      } else {
        this.pending.set(0, { resolve: () => resolveFn(), reject });
      }
    });
  }

  request<T>(message: object): Promise<T> {
    if (this.exitReason) {
      return Promise.reject(new Error(`${this.name} ${this.exitReason}`));
    }
    const id = this.nextId++;
    return new Promise<T>((resolveFn, reject) => {
      this.pending.set(id, { resolve: (value) => resolveFn(value as T), reject });
      this.child.send({ ...message, id });
    });
  }

  /** Sends `message` (which should make it exit), then SIGKILL after `graceMs`. */
  async stop(message: object, graceMs: number): Promise<void> {
    if (!this.exitReason && this.child.connected) {
      this.child.send({ ...message, id: this.nextId++ });
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private onMessage(message: ChildMessage): void {
    const id = message.type === 'ready' ? 0 : (message.id ?? -1);
    const waiter = this.pending.get(id);
    if (message.type === 'error' && !waiter) {
      this.failAll(new Error(`${this.name}: ${message.message}`));
      return;
    }
    this.pending.delete(id);
    if (message.type === 'error') {
      waiter?.reject(new Error(`${this.name}: ${message.message}`));
    } else {
      waiter?.resolve(message.type === 'reply' ? message.value : undefined);
    }
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) {
      waiter.reject(error);
    }
    this.pending.clear();
  }
}
