// Polish (pl) catalogue of every user-visible string; informal second person, worded to avoid grammatical gender.
import type { Messages } from '../index.js';

/**
 * Polish messages; every key of `Messages` is required.
 * @example
 * messages.signOut; // 'Wyloguj się'
 */
export const messages: Messages = {
  activeSessions: 'Aktywne sesje',
  location: 'Lokalizacja',
  device: 'Urządzenie',
  ipAddress: 'Adres IP',
  created: 'Utworzono',
  lastActivity: 'Ostatnia aktywność',
  thisSession: '(ta sesja)',
  endSession: 'Zakończ sesję',
  endAllOtherSessions: 'Zakończ wszystkie pozostałe sesje',
  noOtherSessions: 'Nie masz innych aktywnych sesji.',
  sessionEnded: 'Sesja została zakończona.',
  // "few" is 2–4, 22–24…; "many" is 0, 5–21, 25–31…; "other" is for fractions.
  otherSessionsEnded: {
    one: 'Zakończono {count} inną sesję.',
    few: 'Zakończono {count} inne sesje.',
    many: 'Zakończono {count} innych sesji.',
    other: 'Zakończono {count} innej sesji.',
  },
  unknownDevice: 'Nieznane urządzenie',
  unknownLocation: 'Nieznana lokalizacja',
  signOut: 'Wyloguj się',
  signIn: 'Zaloguj się',
  signedOut: 'Wylogowano',
  back: 'Wstecz',
  deviceOn: '{browser} na {os}',
  justNow: 'przed chwilą',
  actions: 'Akcje',

  allSessions: 'Wszystkie sesje',
  user: 'Użytkownik',
  status: 'Status',
  active: 'Aktywna',
  ended: 'Zakończona',
  all: 'Wszystkie',
  mine: 'Tylko moje',
  search: 'Szukaj',
  searchPlaceholder: 'ID użytkownika lub adres IP',
  endAllForUser: 'Zakończ wszystkie sesje tego użytkownika',
  userSessionsEnded: {
    one: 'Zakończono {count} sesję tego użytkownika.',
    few: 'Zakończono {count} sesje tego użytkownika.',
    many: 'Zakończono {count} sesji tego użytkownika.',
    other: 'Zakończono {count} sesji tego użytkownika.',
  },
  nextPage: 'Następna strona',
  firstPage: 'Pierwsza strona',
  noSessions: 'Brak pasujących sesji.',
  endReason: 'Powód zakończenia',
  endReasonLogout: 'Wylogowanie',
  endReasonIdle: 'Brak aktywności',
  endReasonExpired: 'Osiągnięto maksymalny czas trwania',
  endReasonReplaced: 'Zastąpiona nowszym logowaniem',
  endReasonRevoked: 'Zakończona przez użytkownika',
  endReasonRevokedByAdmin: 'Zakończona przez administratora',

  reasonLogout: 'Wylogowano pomyślnie.',
  reasonIdle: 'Wylogowano Cię po okresie braku aktywności.',
  reasonExpired: 'Sesja osiągnęła maksymalny czas trwania. Zaloguj się ponownie.',
  reasonReplaced: 'Wylogowano Cię, ponieważ na Twoje konto zalogowano się na innym urządzeniu.',
  reasonRevoked: 'Ta sesja została zakończona z innego urządzenia.',
  reasonRevokedByAdmin: 'Ta sesja została zakończona przez administratora.',

  // After "za" Polish needs the accusative ("za 1 minutę"), which Intl's unit names do not give; after a colon
  // the nominative they do give is right.
  limitRefused: 'To konto jest już zalogowane na innym urządzeniu. Spróbuj ponownie później (pozostało: {time}).',

  warningTitle: 'Sesja wkrótce wygaśnie',
  warningMessage: 'Twoja sesja zaraz wygaśnie. Pozostało sekund: {seconds}',
  staySignedIn: 'Nie wylogowuj mnie',
  unsavedChanges: 'Masz niezapisane zmiany.',

  reauthenticationRequired: 'Potwierdź hasło, aby kontynuować.',
};
