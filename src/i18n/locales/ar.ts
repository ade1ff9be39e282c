// Arabic (ar) catalogue of every user-visible string; Modern Standard Arabic, right-to-left.
import type { Messages } from '../index.js';

/**
 * Arabic messages; every key of `Messages` is required.
 * @example
 * messages.signOut; // 'تسجيل الخروج'
 */
export const messages: Messages = {
  activeSessions: 'الجلسات النشطة',
  location: 'الموقع',
  device: 'الجهاز',
  ipAddress: 'عنوان IP',
  created: 'تاريخ الإنشاء',
  lastActivity: 'آخر نشاط',
  thisSession: '(هذه الجلسة)',
  endSession: 'إنهاء الجلسة',
  endAllOtherSessions: 'إنهاء كل الجلسات الأخرى',
  noOtherSessions: 'ليست لديك جلسات نشطة أخرى.',
  sessionEnded: 'تم إنهاء الجلسة.',
  // Arabic spells out 0, 1 and 2 in words; "few" is 3–10, "many" 11–99, "other" 100 and up.
  otherSessionsEnded: {
    zero: 'لم يتم إنهاء أي جلسة أخرى.',
    one: 'تم إنهاء جلسة أخرى واحدة.',
    two: 'تم إنهاء جلستين أخريين.',
    few: 'تم إنهاء {count} جلسات أخرى.',
    many: 'تم إنهاء {count} جلسة أخرى.',
    other: 'تم إنهاء {count} جلسة أخرى.',
  },
  unknownDevice: 'جهاز غير معروف',
  unknownLocation: 'موقع غير معروف',
  signOut: 'تسجيل الخروج',
  signIn: 'تسجيل الدخول',
  signedOut: 'تم تسجيل الخروج',
  back: 'رجوع',
  deviceOn: '{browser} على {os}',
  justNow: 'قبل لحظات',
  actions: 'الإجراءات',

  allSessions: 'كل الجلسات',
  user: 'المستخدم',
  status: 'الحالة',
  active: 'نشطة',
  ended: 'منتهية',
  all: 'الكل',
  mine: 'جلساتي فقط',
  search: 'بحث',
  searchPlaceholder: 'معرّف المستخدم أو عنوان IP',
  endAllForUser: 'إنهاء كل جلسات هذا المستخدم',
  userSessionsEnded: {
    zero: 'لم يتم إنهاء أي جلسة لهذا المستخدم.',
    one: 'تم إنهاء جلسة واحدة لهذا المستخدم.',
    two: 'تم إنهاء جلستين لهذا المستخدم.',
    few: 'تم إنهاء {count} جلسات لهذا المستخدم.',
    many: 'تم إنهاء {count} جلسة لهذا المستخدم.',
    other: 'تم إنهاء {count} جلسة لهذا المستخدم.',
  },
  nextPage: 'الصفحة التالية',
  firstPage: 'الصفحة الأولى',
  noSessions: 'لا توجد جلسات مطابقة.',
  endReason: 'سبب الإنهاء',
  endReasonLogout: 'تسجيل خروج',
  endReasonIdle: 'عدم النشاط',
  endReasonExpired: 'بلوغ المدة القصوى',
  endReasonReplaced: 'استُبدلت بتسجيل دخول أحدث',
  endReasonRevoked: 'أنهاها المستخدم',
  endReasonRevokedByAdmin: 'أنهاها أحد المسؤولين',

  reasonLogout: 'لقد سجّلت الخروج.',
  reasonIdle: 'تم تسجيل خروجك بعد فترة من عدم النشاط.',
  reasonExpired: 'بلغت جلستك مدتها القصوى. يُرجى تسجيل الدخول مرة أخرى.',
  reasonReplaced: 'تم تسجيل خروجك لأنه تم تسجيل الدخول إلى حسابك من جهاز آخر.',
  reasonRevoked: 'تم إنهاء هذه الجلسة من جهاز آخر.',
  reasonRevokedByAdmin: 'أنهى أحد المسؤولين هذه الجلسة.',

  // After "بعد" the duration would need the genitive, which Intl's unit names lack; after a colon they read right.
  limitRefused: 'هذا الحساب مسجَّل الدخول بالفعل على جهاز آخر. حاول مرة أخرى لاحقًا (الوقت المتبقي: {time}).',

  warningTitle: 'الجلسة على وشك الانتهاء',
  warningMessage: 'ستنتهي جلستك قريبًا. الثواني المتبقية: {seconds}',
  staySignedIn: 'البقاء مسجَّل الدخول',
  unsavedChanges: 'لديك تغييرات غير محفوظة.',

  reauthenticationRequired: 'يُرجى تأكيد كلمة المرور للمتابعة.',
};
