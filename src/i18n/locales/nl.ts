// Dutch (nl) catalogue of every user-visible string; informal "je", as most Dutch web products use.
import type { Messages } from '../index.js';

/**
 * Dutch messages; every key of `Messages` is required.
 * @example
 * messages.signOut; // 'Uitloggen'
 */
export const messages: Messages = {
  activeSessions: 'Actieve sessies',
  location: 'Locatie',
  device: 'Apparaat',
  ipAddress: 'IP-adres',
  created: 'Aangemaakt',
  lastActivity: 'Laatste activiteit',
  thisSession: '(deze sessie)',
  endSession: 'Sessie beëindigen',
  endAllOtherSessions: 'Alle andere sessies beëindigen',
  noOtherSessions: 'Je hebt geen andere actieve sessies.',
  sessionEnded: 'Sessie beëindigd.',
  otherSessionsEnded: {
    one: '{count} andere sessie beëindigd.',
    other: '{count} andere sessies beëindigd.',
  },
  unknownDevice: 'Onbekend apparaat',
  unknownLocation: 'Onbekende locatie',
  signOut: 'Uitloggen',
  signIn: 'Inloggen',
  signedOut: 'Uitgelogd',
  back: 'Terug',
  deviceOn: '{browser} op {os}',
  justNow: 'zojuist',
  actions: 'Acties',

  allSessions: 'Alle sessies',
  user: 'Gebruiker',
  status: 'Status',
  active: 'Actief',
  ended: 'Beëindigd',
  all: 'Alle',
  mine: 'Alleen die van mij',
  search: 'Zoeken',
  searchPlaceholder: 'Gebruikers-ID of IP-adres',
  endAllForUser: 'Alle sessies van deze gebruiker beëindigen',
  userSessionsEnded: {
    one: '{count} sessie van deze gebruiker beëindigd.',
    other: '{count} sessies van deze gebruiker beëindigd.',
  },
  nextPage: 'Volgende pagina',
  firstPage: 'Eerste pagina',
  noSessions: 'Geen sessies gevonden.',
  endReason: 'Reden van beëindiging',
  endReasonLogout: 'Uitgelogd',
  endReasonIdle: 'Inactiviteit',
  endReasonExpired: 'Maximale duur bereikt',
  endReasonReplaced: 'Vervangen door een nieuwere aanmelding',
  endReasonRevoked: 'Beëindigd door de gebruiker',
  endReasonRevokedByAdmin: 'Beëindigd door een beheerder',

  reasonLogout: 'Je bent uitgelogd.',
  reasonIdle: 'Je bent uitgelogd na een periode van inactiviteit.',
  reasonExpired: 'Je sessie heeft de maximale duur bereikt. Log opnieuw in.',
  reasonReplaced: 'Je bent uitgelogd omdat er met je account is ingelogd op een ander apparaat.',
  reasonRevoked: 'Deze sessie is vanaf een ander apparaat beëindigd.',
  reasonRevokedByAdmin: 'Deze sessie is door een beheerder beëindigd.',

  limitRefused: 'Dit account is al ingelogd op een ander apparaat. Probeer het over {time} opnieuw.',

  warningTitle: 'Sessie verloopt',
  warningMessage: 'Je sessie verloopt bijna. Resterende seconden: {seconds}',
  staySignedIn: 'Ingelogd blijven',
  unsavedChanges: 'Je hebt niet-opgeslagen wijzigingen.',

  reauthenticationRequired: 'Bevestig je wachtwoord om door te gaan.',
};
