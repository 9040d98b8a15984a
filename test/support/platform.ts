import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttentionNotification, AttentionPort, Platform, SystemEvents } from '../../main/core/ports';
import { createFileSecretStorage, createJsonFileStore } from '../../main/platform/node';
import { recordingLogger } from './logger';

/** System events a test can fire: idle time, resume, screen lock, network change. */
function fakeSystem() {
  const listeners = {
    resume: new Set<() => void>(),
    lock: new Set<() => void>(),
    network: new Set<() => void>(),
  };
  let idle = 0;
  const on = (set: Set<() => void>) => (listener: () => void) => {
    set.add(listener);
    return () => void set.delete(listener);
  };
  const system: SystemEvents = {
    idleSeconds: () => idle,
    noteInput: () => (idle = 0),
    onResume: on(listeners.resume),
    onLockScreen: on(listeners.lock),
    onNetworkChange: on(listeners.network),
  };
  return {
    system,
    setIdleSeconds: (seconds: number) => (idle = seconds),
    resume: () => listeners.resume.forEach((listener) => listener()),
    lockScreen: () => listeners.lock.forEach((listener) => listener()),
    networkChanged: () => listeners.network.forEach((listener) => listener()),
  };
}

/** Records the native notifications and badge counts the core asks for. */
function recordingAttention() {
  const notifications: AttentionNotification[] = [];
  const badges: number[] = [];
  const port: AttentionPort = {
    notify: (notification) => void notifications.push(notification),
    setBadge: (count) => void badges.push(count),
    onClick: () => () => undefined,
  };
  return { port, notifications, badges };
}

/**
 * A browser-host-like platform (or, with host 'electron', one that claims to notify natively) in a
 * temp directory, with a recording logger, fake system events and a recording attention port.
 */
export function testPlatform(
  dataDir = mkdtempSync(join(tmpdir(), 'parley-platform-')),
  host: Platform['host'] = 'browser',
) {
  const { log, entries } = recordingLogger();
  const system = fakeSystem();
  const attention = recordingAttention();
  const platform: Platform = {
    host,
    appVersion: 'test',
    os: 'test',
    dataDir,
    store: createJsonFileStore(dataDir, log),
    secrets: createFileSecretStorage(dataDir),
    system: system.system,
    attention: attention.port,
    log,
  };
  return { platform, logEntries: entries, system, attention };
}
