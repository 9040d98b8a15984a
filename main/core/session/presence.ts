import type { z } from 'zod';
import type { MyStatus } from '../../../protocol/ipc';
import {
  operatorMethods,
  type OperatorEventPayload,
  type OperatorParams,
} from '../../../protocol/operator-socket';
import type { EmitEvent } from '../app-core';
import type { KeyValueStore, Logger } from '../ports';
import type { OperatorCall } from './operator-calls';

const storeKey = 'presence';
/** The status the operator chose last, kept across restarts: presence comes back by itself. */
const chosenSchema = operatorMethods['status.set'].params.required();
type Chosen = z.infer<typeof chosenSchema>;
const defaultChosen: Chosen = { status: 'online', acceptingChats: true };

export interface PresenceOptions {
  store: KeyValueStore;
  call: OperatorCall;
  isConnected(): boolean;
  emit: EmitEvent;
  log: Logger;
}

/**
 * My status: the one I chose (persisted, and sent again after every reconnect, because the server
 * marks me offline when my socket closes) and the automatic away while the system is idle.
 */
export function createPresence(options: PresenceOptions) {
  const stored = chosenSchema.safeParse(options.store.get(storeKey));
  let chosen: Chosen = stored.success ? stored.data : defaultChosen;
  let current: MyStatus = { ...chosen, automatic: false };
  /** System idle seconds at the last check: when they drop, the operator is back. */
  let lastIdle = 0;
  /** An automatic switch is on its way to the server. */
  let switching = false;

  function show(next: MyStatus): MyStatus {
    const same =
      next.status === current.status &&
      next.acceptingChats === current.acceptingChats &&
      next.automatic === current.automatic;
    current = next;
    if (!same) options.emit('status.changed', current);
    return current;
  }

  async function send(change: OperatorParams<'status.set'>, automatic: boolean): Promise<MyStatus> {
    const result = await options.call('status.set', change);
    return show({ ...result, automatic });
  }

  function switchAutomatically(status: 'online' | 'away') {
    switching = true;
    send({ status }, status === 'away')
      .catch((error: unknown) =>
        options.log.warn('could not change the status automatically', { error: String(error) }),
      )
      .finally(() => (switching = false));
  }

  return {
    get: () => current,

    /** The operator's own choice: it ends an automatic away and is remembered. */
    async set(change: OperatorParams<'status.set'>): Promise<MyStatus> {
      chosen = { status: change.status, acceptingChats: change.acceptingChats ?? chosen.acceptingChats };
      options.store.set(storeKey, chosen);
      // Offline, the choice waits for the connection: resend() applies it then.
      if (!options.isConnected()) return show({ ...chosen, automatic: false });
      return send(chosen, false);
    },

    /** Online again: the server set me offline when the socket closed. */
    resend() {
      const change = current.automatic ? { ...chosen, status: 'away' as const } : chosen;
      send(change, current.automatic).catch((error: unknown) =>
        options.log.warn('could not restore the status', { error: String(error) }),
      );
    },

    /** The server says my status changed (my own request, another of my devices, or offline). */
    observe(change: OperatorEventPayload<'operator.status'>) {
      show({
        status: change.status,
        acceptingChats: change.acceptingChats,
        automatic: current.automatic && change.status === 'away',
      });
    },

    /** Called on every idle check: away after `awayAfterMinutes` idle, back at the next input. */
    idle(seconds: number, awayAfterMinutes: number) {
      if (switching || !options.isConnected()) return;
      const returned = seconds < lastIdle;
      lastIdle = seconds;
      if (current.automatic) {
        if (returned) switchAutomatically('online');
      } else if (current.status === 'online' && awayAfterMinutes > 0 && seconds >= awayAfterMinutes * 60) {
        switchAutomatically('away');
      }
    },
  };
}
