// Browser script for sessionwarden: idle-timeout warning, cross-tab activity sync and expiry navigation.
/*
 * Protocol
 * --------
 * Configuration: a `<script type="module" data-sessionwarden data-ping-url=…>` element
 * (found by selector, because module scripts have no document.currentScript) makes the
 * module initialise itself on import; otherwise call `init(config)`. One controller is live
 * per page: `init()` replaces the previous one.
 *
 * Ping: `POST pingUrl`, same-origin credentials, headers `Content-Type` and `Accept:
 * application/json` and `X-CSRF-Token`, body `{"idleFor": s}` where s is the whole number
 * of seconds since the last activity seen in any tab of this browser.
 * - 200 `{idleRemaining, absoluteRemaining, …}`: local deadlines are the reply's arrival
 *   time plus the remaining seconds, so a skewed client clock does not matter; the
 *   effective deadline is the earlier of the two. The epoch fields are ignored for that reason.
 * - 401 `{"error":"session_ended","reason":r}`: the page expires at once with reason r.
 * - 403: a stale CSRF token, not a verdict on the session, so stop and reload; the server
 *   then renders whatever the session's state calls for. The unsaved-form guard stays on
 *   here, because the session may well be alive.
 * - Anything else (429, 5xx, a bad body, a network error): retry with backoff 1 s, 2 s,
 *   4 s … 60 s (or Retry-After, up to 60 s), never later than the local deadline. Past the
 *   deadline the warning stays up and retries continue. Once the deadline has passed and
 *   pings have been failing for 60 s, the page expires locally with reason `idle` (or
 *   `expired` when the absolute deadline was the earlier): the server has by then certainly
 *   ended the session (it checks expiry before applying reported activity), and leaving
 *   the page on screen would keep its data visible on an unattended machine.
 *
 * Timers: one check at `deadline - warnBefore`. A check always pings, so activity the
 * server saw by other means (another tab's requests, the app's own fetches) counts. If the
 * answer still leaves ≤ warnBefore, the warning opens with a 1 s countdown and the next
 * check is at the deadline, where the server's 401 expires the page. Delays are clamped
 * to [0, 2^31-1] ms. Focus, visibility and `online` re-check (at most every 30 s, except
 * `online`); a 10 s heartbeat that fires more than 15 s late (sleep, frozen tab) re-checks.
 *
 * Activity (mouse, keys, wheel, scroll, touch, focus; `activity()`) is recorded at most
 * once a second and reported in the next ping. Inside the warning window it is reported
 * at once by the tab where it happened; other tabs close their warning and ping 2 s later
 * unless new deadlines arrive first.
 *
 * Tabs: BroadcastChannel(channelName), or `storage` events on the key
 * `<channelName>:msg` (written and removed at once) where BroadcastChannel is missing.
 * Messages, times in local epoch ms: {t:'activity', at}, {t:'deadlines', idleAt,
 * absoluteAt}, {t:'ended', reason}. Nothing else is stored: no token, no user data.
 *
 * Expiry: `location.replace(expireUrl + ?reason=r)` when expireUrl is a same-origin path,
 * `/` when it is anything else, `location.reload()` when none is configured; `&returnTo=` carries the page's own
 * path (not for `/`), for a sign-in page that brings the user back (it must check it is a same-origin path).
 *
 * The warning: a modal alertdialog "You will be signed out in 0:42 because you have been inactive." with "Stay signed
 * in" (keeps the session; so does Escape) and "Sign out now" (a ping with `{"logout": true}`, then expiry with
 * reason `logout`). Tab stays between its two buttons. Events inside it (keys, clicks, the pointer over its backdrop)
 * are not activity: only its buttons decide; activity in other tabs still counts, and so does activity on the page
 * when the browser could only show it non-modally. A polite live region says the time left every 10 s, then every
 * second in the last 10, through the translated plural forms and `Intl.PluralRules`. Elements with
 * `data-sessionwarden-deadline` show the current idle deadline as a local time, updated whenever it moves.
 */

/** User-visible texts of the warning; `{time}` in `warningMessage` is replaced by the countdown ("0:42"). */
export interface ClientStrings {
  /** Heading of the warning dialog. @default 'Are you still there?' */
  warningTitle?: string;
  /** Countdown text. @default 'You will be signed out in {time} because you have been inactive.' */
  warningMessage?: string;
  /** What the live region says, one text per plural category (and `'=0'`), `{count}` being the seconds left. @default English */
  warningAnnounce?: Partial<Record<'=0' | Intl.LDMLPluralRule, string>>;
  /** Label of the button that keeps the session. @default 'Stay signed in' */
  staySignedIn?: string;
  /** Label of the button that signs out at once. @default 'Sign out now' */
  signOutNow?: string;
  /** Legacy `returnValue` for the leave prompt (browsers show their own text). @default 'You have unsaved changes.' */
  unsavedChanges?: string;
}

/** Options of `init()`; the data attributes of the auto-init script element map onto them. */
export interface ClientConfig {
  /** Same-origin URL of the ping endpoint (`data-ping-url`). */
  pingUrl: string;
  /** CSRF token sent as `X-CSRF-Token` (`data-csrf`). @default undefined (no header) */
  csrfToken?: string;
  /** Seconds before the deadline at which the warning opens (`data-warn-before`). @default 60 */
  warnBefore?: number;
  /** Seconds of idle time the server granted when it rendered the page (`data-idle-remaining`). @default undefined (ping at start) */
  idleRemaining?: number;
  /** Seconds to the absolute deadline when the page was rendered (`data-absolute-remaining`). @default undefined (ping at start) */
  absoluteRemaining?: number;
  /** Same-origin path to navigate to on expiry, with `reason` added (`data-expire-url`). @default null (reload the page) */
  expireUrl?: string | null;
  /** Translated texts (`data-strings`, JSON). @default English */
  strings?: ClientStrings;
  /** Ask before leaving a page with an edited, unsubmitted form (`data-guard-forms`). @default false */
  guardForms?: boolean;
  /** BroadcastChannel name shared by the tabs (`data-channel`). @default 'sessionwarden' */
  channelName?: string;
  /** Language of the warning (`data-lang`). @default the page's */
  lang?: string;
  /** Direction of the warning (`data-dir`). @default the page's */
  dir?: string;
  /** CSP nonce for the warning's `<style>`. @default the nonce of the page's first nonced script */
  nonce?: string;
}

/** Handle on a running client, returned by `init()`. */
export interface Controller {
  /** Reports user activity the script cannot see (a playing video). */
  activity(): void;
  /** Asks the server for the session's deadlines now. */
  check(): Promise<void>;
  /** Removes every listener, timer, channel and element the client created. */
  destroy(): void;
}

type Message =
  | { t: 'activity'; at: number }
  | { t: 'deadlines'; idleAt: number; absoluteAt: number }
  | { t: 'ended'; reason?: string };

const MAX_DELAY = 2 ** 31 - 1;
const BACKOFF_CAP = 60e3;
const CSS =
  '.sessionwarden{--b:#fff;--f:#1b1f24;--a:#1f5fd6;--o:#fff;--l:#8c959f;box-sizing:border-box;margin:auto;max-width:min(30rem,calc(100vw - 2rem));padding:1.5rem;' +
  'border:0;border-radius:.75rem;background:var(--b);color:var(--f);box-shadow:0 1rem 3rem #0006;font:1rem/1.5 system-ui,sans-serif;text-align:start}' +
  '@media(prefers-color-scheme:dark){.sessionwarden{--b:#1c2026;--f:#e6e8eb;--a:#8ab4ff;--o:#0b1a33;--l:#6e7781}}' +
  '.sessionwarden::backdrop{background:#0009}' +
  '.sessionwarden h2{margin:0 0 .5rem;font-size:1.25rem}.sessionwarden p{margin:0 0 1.25rem}' +
  '.sessionwarden div{display:flex;flex-wrap:wrap;gap:.75rem;justify-content:flex-end}' +
  '.sessionwarden button{min-height:2.5rem;padding:.45rem 1.1rem;border:1px solid var(--l);border-radius:8px;background:var(--b);color:var(--f);font:inherit;font-weight:500;cursor:pointer}' +
  '.sessionwarden button:first-child{order:1;border-color:var(--a);background:var(--a);color:var(--o)}' +
  '.sessionwarden button:focus-visible{outline:3px solid var(--a);outline-offset:2px}' +
  '.sessionwarden .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}';

let current: Controller | undefined;

/** Reports user activity (a playing video, a canvas game) to the running client, if any.
 * @example player.addEventListener('timeupdate', () => activity());
 */
export function activity(): void {
  current?.activity();
}

/** Starts the client: schedules checks from the server's deadlines, warns, syncs tabs and expires the page.
 * @example const warden = init({ pingUrl: '/session/ping', csrfToken: token, idleRemaining: 1800 });
 */
export function init(config: ClientConfig): Controller {
  const url = config && config.pingUrl;
  if (!url || new URL(url, location.href).origin !== location.origin) {
    throw new Error('sessionwarden: init() needs pingUrl, a same-origin URL of the ping endpoint');
  }
  current?.destroy();
  const strings = { ...config.strings };
  const warn = config.warnBefore;
  const warnMs = (typeof warn == 'number' && warn >= 0 ? warn : 60) * 1e3;
  const channel = config.channelName || 'sessionwarden';
  const storageKey = channel + ':msg';
  const stop = new AbortController();
  // The leave prompt has its own switch: a 403 reload stops everything else but keeps it.
  const unguard = new AbortController();
  // `observe` listeners watch every event in capture phase and never cancel, so they are passive and cost no scroll jank.
  const on = (target: EventTarget, types: string, listener: (e: any) => void, observe?: boolean, signal = stop.signal): void =>
    types.split(' ').forEach((type) => target.addEventListener(type, listener, { capture: observe, passive: observe, signal }));
  const bc = typeof BroadcastChannel == 'function' ? new BroadcastChannel(channel) : undefined;

  const start = Date.now();
  const deadlineIn = (v: unknown): number => (typeof v == 'number' && v >= 0 ? start + v * 1e3 : Infinity);
  let idleAt = deadlineIn(config.idleRemaining);
  let absoluteAt = deadlineIn(config.absoluteRemaining);
  let lastActivity = start;
  // Time up to which the server has been told about activity (the send time of the ping whose answer set the deadlines).
  let knownAt = start;
  let lastSent = start;
  let retryAt = 0;
  let backoff = 0;
  let failingSince = 0;
  let stopped = false;
  let quiet = false;
  let open = false;
  let inflight: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let countdown: ReturnType<typeof setInterval> | undefined;
  let dialog: HTMLDialogElement | undefined;
  let style: HTMLStyleElement | undefined;
  let message: HTMLElement;
  let live: HTMLElement;
  let buttons: HTMLButtonElement[];
  const lang = config.lang || document.documentElement.lang || 'en';
  const num = (n: number, digits?: number): string => n.toLocaleString(lang, { minimumIntegerDigits: digits });
  const dirty = new Set<Element>();

  const deadline = (): number => Math.min(idleAt, absoluteAt);

  // The page's own display of the idle deadline follows every extension.
  const paint = (): void =>
    document.querySelectorAll('[data-sessionwarden-deadline]').forEach((el) => {
      const at = new Date(deadline());
      if (!isFinite(+at)) return;
      el.setAttribute('datetime', at.toISOString());
      el.textContent = at.toLocaleTimeString(lang, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
    });

  const post = (msg: Message): void => {
    if (bc) return bc.postMessage(msg);
    try {
      // The random field makes a repeated message a change, so every tab gets its storage event.
      localStorage.setItem(storageKey, JSON.stringify({ ...msg, n: Math.random() }));
      localStorage.removeItem(storageKey);
    } catch {
      // Storage disabled (privacy mode, quota): tabs then agree through the server only.
    }
  };

  const receive = (m: any): void => {
    if (stopped || !m) return;
    const now = Date.now();
    if (m.t == 'activity' && m.at > lastActivity) {
      // A timestamp from the future would make idleFor negative; never trust it past now.
      lastActivity = Math.min(m.at, now);
      plan(false);
    } else if (m.t == 'deadlines' && m.idleAt > 0 && m.absoluteAt > 0) {
      idleAt = m.idleAt;
      absoluteAt = m.absoluteAt;
      knownAt = now;
      retryAt = backoff = failingSince = 0;
      paint();
      plan(false);
    } else if (m.t == 'ended') {
      expire(m.reason, true);
    }
  };

  const arm = (at: number): void => {
    clearTimeout(timer);
    // Delays above 2^31-1 ms fire at once in every browser, and a 30-day absolute timeout exceeds that;
    // a clamped timer just checks early (once in 24.8 days) and re-arms from the answer.
    timer = setTimeout(check, Math.min(Math.max(at - Date.now(), 0), MAX_DELAY));
  };

  const tick = (announce?: boolean): void => {
    const left = Math.max(0, Math.ceil((deadline() - Date.now()) / 1e3));
    message.textContent = (strings.warningMessage || 'You will be signed out in {time} because you have been inactive.').replace(
      '{time}',
      num(Math.floor(left / 60)) + ':' + num(left % 60, 2),
    );
    // Every 10 s, then every second of the last 10: often enough to follow, never a flood.
    if (announce && (left % 10 == 0 || left < 10)) {
      const forms = strings.warningAnnounce || { one: 'You will be signed out in {count} second.', other: 'You will be signed out in {count} seconds.' };
      const form = (left == 0 && forms['=0']) || forms[new Intl.PluralRules(lang).select(left)] || forms.other || '';
      live.textContent = form.replace('{count}', num(left));
    }
  };

  const build = (): HTMLDialogElement => {
    style = document.createElement('style');
    style.nonce = config.nonce ?? document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '';
    style.textContent = CSS;
    document.head.append(style);
    const el = document.createElement('dialog');
    el.className = 'sessionwarden';
    el.setAttribute('role', 'alertdialog');
    el.setAttribute('aria-labelledby', 'sessionwarden-title');
    el.setAttribute('aria-describedby', 'sessionwarden-message');
    if (config.lang) el.lang = config.lang;
    if (config.dir) el.dir = config.dir;
    const title = document.createElement('h2');
    title.id = 'sessionwarden-title';
    title.textContent = strings.warningTitle || 'Are you still there?';
    message = document.createElement('p');
    message.id = 'sessionwarden-message';
    live = document.createElement('p');
    live.className = 'sr';
    live.setAttribute('aria-live', 'polite');
    const row = document.createElement('div');
    buttons = [strings.staySignedIn || 'Stay signed in', strings.signOutNow || 'Sign out now'].map((label) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = label;
      return button;
    });
    // showModal() focuses it, and close() gives focus back to what had it before (HTML's "previously focused element").
    buttons[0]!.autofocus = true;
    row.append(...buttons);
    el.append(title, message, live, row);
    on(buttons[0]!, 'click', () => open && touch(true));
    on(buttons[1]!, 'click', () => void check(true));
    // Escape closes the dialog: the user is there, so it keeps the session like "Stay signed in" (at once, on cancel).
    on(el, 'cancel close', () => open && touch(true));
    on(el, 'keydown', (e: KeyboardEvent) => {
      if (e.key != 'Tab') return;
      // Focus stays between the two buttons: the page behind is inert, and the browser's own UI is not the way back.
      e.preventDefault();
      buttons[+(document.activeElement == buttons[0])]!.focus();
    });
    document.body.append(el);
    return el;
  };

  const show = (): void => {
    if (open) return;
    dialog = dialog || build();
    open = true;
    tick();
    live.textContent = '';
    countdown = setInterval(tick, 1e3, true);
    // The focus moves of showModal() and close() fire focus events that are not the user's activity.
    quiet = true;
    try {
      dialog.showModal();
    } catch {
      // Another modal owns the top layer or the page is being torn down: a non-modal warning still informs.
      dialog.show();
    }
    quiet = false;
  };

  const hide = (): void => {
    if (!open) return;
    open = false;
    clearInterval(countdown);
    quiet = true;
    if (dialog!.open) dialog!.close();
    quiet = false;
  };

  // Decides, from the deadlines and what the server knows, whether to warn and when to check next.
  function plan(local: boolean): void {
    if (stopped) return;
    const now = Date.now();
    const end = deadline();
    const warnAt = end - warnMs;
    const unreported = lastActivity > knownAt;
    const inWindow = now >= warnAt;
    if (inWindow && (!unreported || (retryAt && now >= end))) show();
    else hide();
    let next = inWindow ? end : warnAt;
    if (inWindow && unreported && idleAt < absoluteAt && !retryAt) {
      // Activity in the warning window must reach the server before the idle deadline;
      // the tab where it happened pings now, the others wait for its new deadlines.
      if (local) return void check();
      next = Math.min(end, now + 2e3);
    }
    if (retryAt) next = next > now ? Math.min(next, retryAt) : retryAt;
    arm(next > now ? next : now + 1e3);
  }

  function touch(force?: boolean): void {
    const now = Date.now();
    if (stopped || quiet || (!force && now - lastActivity < 1e3)) return;
    lastActivity = now;
    post({ t: 'activity', at: now });
    plan(true);
  }

  function check(logout?: boolean): Promise<void> {
    return logout ? ping(true) : inflight || (inflight = ping().finally(() => (inflight = undefined)));
  }

  async function ping(logout?: boolean): Promise<void> {
    const sent = (lastSent = Date.now());
    const abort = new AbortController();
    // A request that never answers would otherwise block every later check.
    const limit = setTimeout(() => abort.abort(), 15e3);
    let status = 0;
    let reply: any = {};
    let retryAfter = 0;
    try {
      const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
      if (config.csrfToken) headers['X-CSRF-Token'] = config.csrfToken;
      const res = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers,
        body: JSON.stringify(logout ? { logout } : { idleFor: Math.max(0, Math.round((sent - lastActivity) / 1e3)) }),
        signal: abort.signal,
      });
      status = res.status;
      retryAfter = +res.headers.get('Retry-After')! * 1e3 || 0;
      reply = await res.json();
    } catch {
      // A network failure leaves status 0 and a non-JSON body leaves reply empty; both are judged below.
    }
    clearTimeout(limit);
    if (stopped) return;
    if (status == 401 || logout) return expire(logout ? 'logout' : reply.reason);
    if (status == 403) {
      teardown(true);
      return location.reload();
    }
    const now = Date.now();
    const idle = reply.idleRemaining;
    const absolute = reply.absoluteRemaining;
    if (status == 200 && idle >= 0 && absolute >= 0 && typeof idle == 'number' && typeof absolute == 'number') {
      idleAt = now + idle * 1e3;
      absoluteAt = now + absolute * 1e3;
      knownAt = sent;
      retryAt = backoff = failingSince = 0;
      post({ t: 'deadlines', idleAt, absoluteAt });
      paint();
    } else {
      failingSince = failingSince || now;
      if (now >= deadline() && now - failingSince >= BACKOFF_CAP) {
        return expire(idleAt <= absoluteAt ? 'idle' : 'expired');
      }
      backoff = Math.min(BACKOFF_CAP, Math.max(backoff * 2 || 1e3, retryAfter));
      retryAt = now + backoff;
    }
    plan(false);
  }

  function teardown(keepGuard?: boolean): void {
    stopped = true;
    stop.abort();
    if (!keepGuard) unguard.abort();
    clearTimeout(timer);
    clearInterval(heartbeat);
    clearInterval(countdown);
    bc?.close();
    dialog?.remove();
    style?.remove();
    if (current === controller) current = undefined;
  }

  function expire(reason: unknown, fromOtherTab?: boolean): void {
    if (stopped) return;
    const why = typeof reason == 'string' && /^[\w-]{1,40}$/.test(reason) ? reason : '';
    if (!fromOtherTab) post({ t: 'ended', reason: why });
    // Tearing down first also drops the unsaved-form guard: an ended session cannot save the form anyway.
    teardown();
    const to = config.expireUrl;
    if (!to) return location.reload();
    let dest = new URL(/^\/(?![/\\])/.test(to) ? to : '/', location.href);
    // Browsers strip tabs and newlines from URLs, so '/\t/evil.example' passes the test above; the origin check does not.
    if (dest.origin !== location.origin) dest = new URL('/', location.href);
    if (why) dest.searchParams.set('reason', why);
    if (location.pathname != '/') dest.searchParams.set('returnTo', location.pathname + location.search);
    location.replace(dest.href);
  }

  const recheck = (): void => {
    if (Date.now() - lastSent >= 30e3) void check();
  };

  on(
    window,
    'mousemove mousedown click keydown wheel scroll touchstart touchmove focus',
    (e: Event) => {
      // Inside the open warning only its buttons (and Escape) decide: a stray key, Tab or the pointer crossing the
      // backdrop must neither extend the session behind the user's back nor close the dialog under their hands.
      if (open && dialog!.contains(e.target as Node)) return;
      touch();
      if (e.target === window) recheck();
    },
    true,
  );
  on(document, 'visibilitychange', () => document.hidden || recheck());
  on(window, 'online', () => void check());
  if (bc) bc.onmessage = (e) => receive(e.data);
  else
    on(window, 'storage', (e: StorageEvent) => {
      if (e.key === storageKey && e.newValue) receive(JSON.parse(e.newValue));
    });

  if (config.guardForms) {
    on(document, 'input change', (e: Event) => {
      const el = e.target as HTMLInputElement;
      const form = el.form || el.closest?.('form');
      if (form) dirty.add(form);
    });
    on(document, 'submit', (e: Event) => dirty.delete(e.target as Element));
    on(
      window,
      'beforeunload',
      (e: BeforeUnloadEvent) => {
        // Expiry removes this listener before navigating, so an ended session never prompts.
        if (dirty.size) {
          e.preventDefault();
          e.returnValue = strings.unsavedChanges || 'You have unsaved changes.';
        }
      },
      false,
      unguard.signal,
    );
  }

  let beat = start;
  const heartbeat = setInterval(() => {
    const now = Date.now();
    // Timers stall while the machine sleeps or the tab is frozen; a late beat means the deadlines may have passed.
    // Hidden tabs are skipped because browsers throttle their timers to once a minute, which is not sleep.
    if (now - beat > 15e3 && !document.hidden) void check();
    beat = now;
  }, 1e4);

  const controller: Controller = {
    activity: () => touch(),
    check,
    destroy: () => teardown(),
  };
  current = controller;
  if (deadline() < Infinity) {
    // The page's own request was activity the server has seen; other tabs learn its deadlines now.
    post({ t: 'deadlines', idleAt, absoluteAt });
    plan(false);
  } else void check();
  return controller;
}

const script = typeof document == 'object' ? document.querySelector<HTMLScriptElement>('script[data-sessionwarden]') : null;
if (script) {
  const data = script.dataset;
  const num = (v?: string): number | undefined => (v ? +v : undefined);
  let strings: ClientStrings | undefined;
  try {
    strings = data.strings ? JSON.parse(data.strings) : undefined;
  } catch (cause) {
    throw new Error('sessionwarden: data-strings must be a JSON object of texts', { cause });
  }
  init({
    pingUrl: data.pingUrl!,
    csrfToken: data.csrf,
    warnBefore: num(data.warnBefore),
    idleRemaining: num(data.idleRemaining),
    absoluteRemaining: num(data.absoluteRemaining),
    expireUrl: data.expireUrl,
    strings,
    guardForms: data.guardForms != null && data.guardForms != 'false',
    channelName: data.channel,
    lang: data.lang,
    dir: data.dir,
    nonce: script.nonce,
  });
}
