/** Where the visitor's token lives between page loads. Never a cookie. */
export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

/**
 * localStorage, or sessionStorage (gone with the tab) for cookieless groups and sites. Browsers
 * that refuse storage to third-party frames get a store that lasts as long as the page.
 */
export function tokenStore(groupId: string, sessionOnly: boolean): TokenStore {
  const key = `parley.visitor.${groupId}`;
  let storage: Storage | undefined;
  try {
    storage = sessionOnly ? window.sessionStorage : window.localStorage;
    storage.getItem(key);
  } catch {
    storage = undefined;
  }
  let memory: string | null = null;
  return {
    get: () => (storage ? storage.getItem(key) : memory),
    set: (token) => (storage ? storage.setItem(key, token) : (memory = token)),
    clear: () => (storage ? storage.removeItem(key) : (memory = null)),
  };
}
