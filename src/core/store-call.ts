// Every store call goes through here: a deadline, and any failure turned into a SessionStoreError.
import { SessionStoreError, type SessionStoreErrorCode } from './errors.js';

/**
 * Run one store operation with a timeout; failures surface as SessionStoreError with the cause kept.
 * @example
 * const record = await callStore(() => store.get(id), 2000, 'get');
 */
export async function callStore<T>(operation: () => Promise<T>, timeoutMs: number, label: string, code: SessionStoreErrorCode = 'STORE_UNAVAILABLE', synchronous = false): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const pending = operation();
    // A blocking store has already done its work by now: a timer could never fire first, so it is not armed.
    if (synchronous) return await pending;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SessionStoreError('STORE_TIMEOUT', `store ${label} took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    return await Promise.race([pending, deadline]);
  } catch (error) {
    if (error instanceof SessionStoreError) throw error;
    throw new SessionStoreError(code, `store ${label} failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
