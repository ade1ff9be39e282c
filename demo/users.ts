// The demo's three accounts (password "demo" for each), checked in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

/** A demo account. */
export interface DemoUser {
  id: string;
  name: string;
  admin: boolean;
}

/** The accounts shown on the login page. */
export const demoUsers: readonly DemoUser[] = [
  { id: 'alice', name: 'Alice', admin: false },
  { id: 'bob', name: 'Bob', admin: false },
  { id: 'admin', name: 'Admin', admin: true },
];

const passwordDigest = createHash('sha256').update('demo').digest();

/**
 * The user whose name and password match, or null.
 * @example
 * checkCredentials('alice', 'demo')
 */
export function checkCredentials(username: unknown, password: unknown): DemoUser | null {
  if (typeof username !== 'string' || typeof password !== 'string' || password.length > 1024) return null;
  const user = demoUsers.find((candidate) => candidate.id === username) ?? null;
  // Hash even for unknown users so timing does not reveal which names exist.
  const ok = timingSafeEqual(createHash('sha256').update(password).digest(), passwordDigest);
  return ok ? user : null;
}

/**
 * Look up an account by id.
 * @example
 * findUser('admin')?.admin // true
 */
export function findUser(id: string | null): DemoUser | null {
  return demoUsers.find((user) => user.id === id) ?? null;
}
