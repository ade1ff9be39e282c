// German (de) catalogue of every user-visible string; formal "Sie".
import type { Messages } from '../index.js';

/**
 * German messages; every key of `Messages` is required.
 * @example
 * messages.signOut; // 'Abmelden'
 */
export const messages: Messages = {
  activeSessions: 'Aktive Sitzungen',
  location: 'Standort',
  device: 'Gerät',
  ipAddress: 'IP-Adresse',
  created: 'Erstellt',
  lastActivity: 'Letzte Aktivität',
  thisSession: '(diese Sitzung)',
  endSession: 'Sitzung beenden',
  endAllOtherSessions: 'Alle anderen Sitzungen beenden',
  noOtherSessions: 'Sie haben keine anderen aktiven Sitzungen.',
  sessionEnded: 'Sitzung beendet.',
  otherSessionsEnded: {
    one: '{count} andere Sitzung beendet.',
    other: '{count} andere Sitzungen beendet.',
  },
  unknownDevice: 'Unbekanntes Gerät',
  unknownLocation: 'Unbekannter Standort',
  signOut: 'Abmelden',
  signIn: 'Anmelden',
  signedOut: 'Abgemeldet',
  back: 'Zurück',
  deviceOn: '{browser} unter {os}',
  justNow: 'gerade eben',
  actions: 'Aktionen',

  allSessions: 'Alle Sitzungen',
  user: 'Benutzer',
  status: 'Status',
  active: 'Aktiv',
  ended: 'Beendet',
  all: 'Alle',
  mine: 'Nur meine',
  search: 'Suchen',
  searchPlaceholder: 'Benutzer-ID oder IP-Adresse',
  endAllForUser: 'Alle Sitzungen dieses Benutzers beenden',
  userSessionsEnded: {
    one: '{count} Sitzung dieses Benutzers beendet.',
    other: '{count} Sitzungen dieses Benutzers beendet.',
  },
  nextPage: 'Nächste Seite',
  firstPage: 'Erste Seite',
  noSessions: 'Keine passenden Sitzungen.',
  endReason: 'Grund der Beendigung',
  endReasonLogout: 'Abgemeldet',
  endReasonIdle: 'Inaktivität',
  endReasonExpired: 'Maximale Dauer erreicht',
  endReasonReplaced: 'Durch neuere Anmeldung ersetzt',
  endReasonRevoked: 'Vom Benutzer beendet',
  endReasonRevokedByAdmin: 'Von einem Administrator beendet',

  reasonLogout: 'Sie haben sich abgemeldet.',
  reasonIdle: 'Sie wurden nach längerer Inaktivität abgemeldet.',
  reasonExpired: 'Ihre Sitzung hat ihre maximale Dauer erreicht. Bitte melden Sie sich erneut an.',
  reasonReplaced: 'Sie wurden abgemeldet, weil Ihr Konto auf einem anderen Gerät angemeldet wurde.',
  reasonRevoked: 'Diese Sitzung wurde von einem anderen Gerät aus beendet.',
  reasonRevokedByAdmin: 'Diese Sitzung wurde von einem Administrator beendet.',

  // "Warten Sie {time}" takes the accusative that Intl's unit names already have ("1 Tag", "2 Tage");
  // "in {time}" would need a dative ("in 2 Tagen") that Intl cannot give.
  limitRefused:
    'Dieses Konto ist bereits auf einem anderen Gerät angemeldet. Bitte warten Sie {time} und versuchen Sie es dann erneut.',

  warningTitle: 'Sitzung läuft ab',
  warningMessage: 'Ihre Sitzung läuft gleich ab. Verbleibende Sekunden: {seconds}',
  staySignedIn: 'Angemeldet bleiben',
  unsavedChanges: 'Sie haben nicht gespeicherte Änderungen.',

  reauthenticationRequired: 'Bitte bestätigen Sie Ihr Passwort, um fortzufahren.',
};
