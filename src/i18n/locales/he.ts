// Hebrew (he) catalogue of every user-visible string; right-to-left, gender-neutral phrasing (plural or impersonal forms).
import type { Messages } from '../index.js';

/**
 * Hebrew messages; every key of `Messages` is required.
 * @example
 * messages.signOut; // 'התנתקות'
 */
export const messages: Messages = {
  activeSessions: 'הפעלות פעילות',
  location: 'מיקום',
  device: 'מכשיר',
  ipAddress: 'כתובת IP',
  created: 'נוצרה',
  lastActivity: 'פעילות אחרונה',
  thisSession: '(ההפעלה הנוכחית)',
  endSession: 'סיום ההפעלה',
  endAllOtherSessions: 'סיום כל ההפעלות האחרות',
  noOtherSessions: 'אין לך הפעלות פעילות אחרות.',
  sessionEnded: 'ההפעלה הסתיימה.',
  // Hebrew uses words for one and two.
  otherSessionsEnded: {
    one: 'הפעלה אחרת אחת הסתיימה.',
    two: 'שתי הפעלות אחרות הסתיימו.',
    other: '{count} הפעלות אחרות הסתיימו.',
  },
  unknownDevice: 'מכשיר לא ידוע',
  unknownLocation: 'מיקום לא ידוע',
  signOut: 'התנתקות',
  signIn: 'התחברות',
  signedOut: 'ההתנתקות הושלמה',
  back: 'חזרה',
  deviceOn: '{browser} ב־{os}',
  justNow: 'הרגע',
  actions: 'פעולות',

  allSessions: 'כל ההפעלות',
  user: 'משתמש',
  status: 'סטטוס',
  active: 'פעילה',
  ended: 'הסתיימה',
  all: 'הכול',
  mine: 'רק שלי',
  search: 'חיפוש',
  searchPlaceholder: 'מזהה משתמש או כתובת IP',
  endAllForUser: 'סיום כל ההפעלות של המשתמש הזה',
  userSessionsEnded: {
    one: 'הפעלה אחת של המשתמש הסתיימה.',
    two: 'שתי הפעלות של המשתמש הסתיימו.',
    other: '{count} הפעלות של המשתמש הסתיימו.',
  },
  nextPage: 'לעמוד הבא',
  firstPage: 'לעמוד הראשון',
  noSessions: 'אין הפעלות תואמות.',
  endReason: 'סיבת הסיום',
  endReasonLogout: 'התנתקות',
  endReasonIdle: 'חוסר פעילות',
  endReasonExpired: 'הגיעה למשך המרבי',
  endReasonReplaced: 'הוחלפה בהתחברות חדשה יותר',
  endReasonRevoked: 'הסתיימה על ידי המשתמש',
  endReasonRevokedByAdmin: 'הסתיימה על ידי מנהל מערכת',

  reasonLogout: 'התנתקת מהחשבון.',
  reasonIdle: 'נותקת מהחשבון לאחר פרק זמן ללא פעילות.',
  reasonExpired: 'ההפעלה הגיעה למשך המרבי שלה. יש להתחבר מחדש.',
  reasonReplaced: 'נותקת מהחשבון כי בוצעה התחברות לחשבון שלך ממכשיר אחר.',
  reasonRevoked: 'ההפעלה הזו הסתיימה ממכשיר אחר.',
  reasonRevokedByAdmin: 'ההפעלה הזו הסתיימה על ידי מנהל מערכת.',

  limitRefused: 'החשבון הזה כבר מחובר במכשיר אחר. אפשר לנסות שוב בעוד {time}.',

  warningTitle: 'ההפעלה עומדת לפוג',
  warningMessage: 'ההפעלה שלך עומדת לפוג. שניות שנותרו: {seconds}',
  staySignedIn: 'המשך ההפעלה',
  unsavedChanges: 'יש לך שינויים שלא נשמרו.',

  reauthenticationRequired: 'יש לאשר את הסיסמה כדי להמשיך.',
};
