// The demo's own few sentences in every locale the library speaks; everything else comes from the library's catalogue.
import { catalogueLocale, type Locale } from '../src/i18n/index.js';

/** The demo's sentences: `{name}`, `{users}` and `{time}` are filled in by the pages. */
export interface DemoStrings {
  readonly signedInAs: string;
  readonly demoHint: string;
  readonly idleAt: string;
}

const STRINGS: { readonly [L in Locale]: DemoStrings } = {
  en: { signedInAs: 'Signed in as {name}', demoHint: 'Demo accounts: {users}. The password is “demo” for each.', idleAt: 'If you stay inactive, you will be signed out at {time}.' },
  de: { signedInAs: 'Angemeldet als {name}', demoHint: 'Demo-Konten: {users}. Das Passwort ist jeweils „demo“.', idleAt: 'Wenn Sie inaktiv bleiben, werden Sie um {time} abgemeldet.' },
  fr: { signedInAs: 'Connecté en tant que {name}', demoHint: 'Comptes de démonstration : {users}. Le mot de passe est « demo » pour chacun.', idleAt: 'Sans activité, vous serez déconnecté à {time}.' },
  es: { signedInAs: 'Sesión iniciada como {name}', demoHint: 'Cuentas de demostración: {users}. La contraseña es «demo» en todas.', idleAt: 'Si sigues inactivo, se cerrará tu sesión a las {time}.' },
  it: { signedInAs: 'Accesso effettuato come {name}', demoHint: 'Account demo: {users}. La password è «demo» per tutti.', idleAt: 'Se resti inattivo, verrai disconnesso alle {time}.' },
  nl: { signedInAs: 'Ingelogd als {name}', demoHint: 'Demo-accounts: {users}. Het wachtwoord is steeds ‘demo’.', idleAt: 'Als je inactief blijft, word je om {time} uitgelogd.' },
  pl: { signedInAs: 'Zalogowano jako {name}', demoHint: 'Konta demonstracyjne: {users}. Hasło do każdego to „demo”.', idleAt: 'Bez aktywności nastąpi wylogowanie o {time}.' },
  'pt-BR': { signedInAs: 'Conectado como {name}', demoHint: 'Contas de demonstração: {users}. A senha de todas é “demo”.', idleAt: 'Sem atividade, você será desconectado às {time}.' },
  ru: { signedInAs: 'Вы вошли как {name}', demoHint: 'Демо-аккаунты: {users}. Пароль у всех — «demo».', idleAt: 'Если не проявлять активность, выход произойдёт в {time}.' },
  'zh-CN': { signedInAs: '已登录为 {name}', demoHint: '演示账号：{users}。密码均为“demo”。', idleAt: '如果一直没有活动，您将在 {time} 退出登录。' },
  ar: { signedInAs: 'تم تسجيل الدخول باسم {name}', demoHint: 'حسابات تجريبية: {users}. كلمة المرور لكل منها هي «demo».', idleAt: 'إذا بقيت دون نشاط، فسيتم تسجيل خروجك في {time}.' },
  he: { signedInAs: 'מחובר בתור {name}', demoHint: 'חשבונות הדגמה: {users}. הסיסמה לכולם היא „demo”.', idleAt: 'אם לא תהיה פעילות, החיבור ינותק ב־{time}.' },
};

/**
 * The demo's sentences for a locale or regional tag.
 * @example
 * demoStrings('de-AT').signedInAs // 'Angemeldet als {name}'
 */
export function demoStrings(locale: string): DemoStrings {
  return STRINGS[catalogueLocale(locale)];
}
