// Italian (it) catalogue of every user-visible string; informal "tu", as most Italian web products use.
import type { Messages } from '../index.js';

/**
 * Italian messages; every key of `Messages` is required.
 * @example
 * messages.signOut; // 'Esci'
 */
export const messages: Messages = {
  activeSessions: 'Sessioni attive',
  location: 'Posizione',
  device: 'Dispositivo',
  ipAddress: 'Indirizzo IP',
  created: 'Creata',
  lastActivity: 'Ultima attività',
  thisSession: '(questa sessione)',
  endSession: 'Termina sessione',
  endAllOtherSessions: 'Termina tutte le altre sessioni',
  noOtherSessions: 'Non hai altre sessioni attive.',
  sessionEnded: 'Sessione terminata.',
  otherSessionsEnded: {
    one: '{count} altra sessione terminata.',
    other: '{count} altre sessioni terminate.',
  },
  unknownDevice: 'Dispositivo sconosciuto',
  unknownLocation: 'Posizione sconosciuta',
  signOut: 'Esci',
  signIn: 'Accedi',
  signedOut: 'Disconnessione effettuata',
  back: 'Indietro',
  deviceOn: '{browser} su {os}',
  justNow: 'proprio ora',
  actions: 'Azioni',

  allSessions: 'Tutte le sessioni',
  user: 'Utente',
  status: 'Stato',
  active: 'Attiva',
  ended: 'Terminata',
  all: 'Tutte',
  mine: 'Solo le mie',
  search: 'Cerca',
  searchPlaceholder: 'ID utente o indirizzo IP',
  endAllForUser: 'Termina tutte le sessioni di questo utente',
  userSessionsEnded: {
    one: '{count} sessione di questo utente terminata.',
    other: '{count} sessioni di questo utente terminate.',
  },
  nextPage: 'Pagina successiva',
  firstPage: 'Prima pagina',
  noSessions: 'Nessuna sessione corrispondente.',
  endReason: 'Motivo della chiusura',
  endReasonLogout: 'Disconnessione',
  endReasonIdle: 'Inattività',
  endReasonExpired: 'Durata massima raggiunta',
  endReasonReplaced: 'Sostituita da un accesso più recente',
  endReasonRevoked: 'Terminata dall’utente',
  endReasonRevokedByAdmin: 'Terminata da un amministratore',

  reasonLogout: 'Disconnessione effettuata.',
  reasonIdle: 'La sessione è stata chiusa dopo un periodo di inattività.',
  reasonExpired: 'La tua sessione ha raggiunto la durata massima. Accedi di nuovo.',
  reasonReplaced: 'La sessione è stata chiusa perché è stato effettuato l’accesso al tuo account da un altro dispositivo.',
  reasonRevoked: 'Questa sessione è stata terminata da un altro dispositivo.',
  reasonRevokedByAdmin: 'Questa sessione è stata terminata da un amministratore.',

  limitRefused: 'È già stato effettuato l’accesso a questo account da un altro dispositivo. Riprova tra {time}.',

  warningTitle: 'Sessione in scadenza',
  warningMessage: 'La tua sessione sta per scadere. Secondi rimanenti: {seconds}',
  staySignedIn: 'Mantieni l’accesso',
  unsavedChanges: 'Hai modifiche non salvate.',

  reauthenticationRequired: 'Conferma la password per continuare.',
};
