// fakeWails.ts stands in for the Unmask window in tests: it installs a fake
// window.go (recording every call) and window.runtime (whose events tests
// emit by hand).

type Impl = (...args: unknown[]) => unknown;

/** Call is one recorded call of a bound method. */
export interface Call {
  service: string;
  method: string;
  args: unknown[];
}

/** FakeWails controls the fake window. */
export interface FakeWails {
  calls: Call[];
  /** emit delivers payload to every subscriber of name. */
  emit(name: string, payload: unknown): void;
  /** subscribers counts the live subscriptions to name. */
  subscribers(name: string): number;
  /** set replaces (or adds) one method. */
  set(service: string, method: string, impl: Impl): void;
  /** callsOf returns the recorded calls of service.method. */
  callsOf(service: string, method: string): Call[];
  uninstall(): void;
}

/** installFakeWails installs the fake with the given methods; each result is wrapped in a promise. */
export function installFakeWails(services: Record<string, Record<string, Impl>> = {}): FakeWails {
  const calls: Call[] = [];
  const app: Record<string, Record<string, Impl>> = {};
  const listeners = new Map<string, Set<(...d: unknown[]) => void>>();

  const set = (service: string, method: string, impl: Impl): void => {
    const svc = (app[service] ??= {});
    svc[method] = (...args: unknown[]) => {
      calls.push({ service, method, args });
      try {
        return Promise.resolve(impl(...args));
      } catch (err) {
        return Promise.reject(err);
      }
    };
  };
  const defaults: Record<string, Record<string, Impl>> = {
    StatusService: { Version: () => "0.1.0-test", ModelStatus: () => [] },
  };
  for (const src of [defaults, services]) {
    for (const [service, methods] of Object.entries(src)) {
      for (const [method, impl] of Object.entries(methods)) {
        set(service, method, impl);
      }
    }
  }

  window.go = { app };
  window.runtime = {
    EventsOnMultiple(name: string, cb: (...d: unknown[]) => void, _max: number): () => void {
      let set = listeners.get(name);
      if (set === undefined) {
        set = new Set();
        listeners.set(name, set);
      }
      set.add(cb);
      return () => set?.delete(cb);
    },
  };

  return {
    calls,
    emit(name, payload) {
      for (const cb of [...(listeners.get(name) ?? [])]) {
        cb(payload);
      }
    },
    subscribers: (name) => listeners.get(name)?.size ?? 0,
    set,
    callsOf: (service, method) => calls.filter((c) => c.service === service && c.method === method),
    uninstall() {
      delete window.go;
      delete window.runtime;
    },
  };
}

/** flush lets pending promise callbacks and timers run. */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) {
    await new Promise((r) => setTimeout(r, 0));
  }
}
