// The tests write session data under many keys: declared once for all of them, as an app declares its own keys.
declare module 'express-session' {
  interface SessionData {
    [key: string]: unknown;
  }
}

export {};
