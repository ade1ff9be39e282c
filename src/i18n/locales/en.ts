// English (en) catalogue: the source text every other locale translates, and the run-time fallback.
import type { Messages } from '../index.js';

/**
 * English messages; every key of `Messages` is required.
 * @example
 * messages.signOut; // 'Sign out'
 */
export const messages: Messages = {
  activeSessions: 'Active Sessions',
  location: 'Location',
  device: 'Device',
  ipAddress: 'IP address',
  created: 'Created',
  lastActivity: 'Last Activity',
  thisSession: '(this session)',
  endSession: 'End session',
  endAllOtherSessions: 'End all other sessions',
  noOtherSessions: 'You have no other active sessions.',
  sessionEnded: 'Session ended.',
  otherSessionsEnded: {
    one: '{count} other session ended.',
    other: '{count} other sessions ended.',
  },
  unknownDevice: 'Unknown device',
  unknownLocation: 'Unknown location',
  signOut: 'Sign out',
  signIn: 'Sign in',
  signedOut: 'Signed out',
  back: 'Back',
  deviceOn: '{browser} on {os}',
  justNow: 'just now',
  actions: 'Actions',

  allSessions: 'All Sessions',
  user: 'User',
  status: 'Status',
  active: 'Active',
  ended: 'Ended',
  all: 'All',
  mine: 'Mine only',
  search: 'Search',
  searchPlaceholder: 'User id or IP address',
  endAllForUser: 'End all sessions of this user',
  userSessionsEnded: {
    one: '{count} session of this user ended.',
    other: '{count} sessions of this user ended.',
  },
  nextPage: 'Next page',
  firstPage: 'First page',
  noSessions: 'No sessions match.',
  endReason: 'End reason',
  endReasonLogout: 'Signed out',
  endReasonIdle: 'Inactivity',
  endReasonExpired: 'Maximum length reached',
  endReasonReplaced: 'Replaced by a newer sign-in',
  endReasonRevoked: 'Ended by the user',
  endReasonRevokedByAdmin: 'Ended by an administrator',

  reasonLogout: 'You signed out.',
  reasonIdle: 'You were signed out after a period of inactivity.',
  reasonExpired: 'Your session reached its maximum length. Please sign in again.',
  reasonReplaced: 'You were signed out because your account signed in on another device.',
  reasonRevoked: 'This session was ended from another device.',
  reasonRevokedByAdmin: 'This session was ended by an administrator.',

  limitRefused: 'This account is already signed in on another device. Try again in {time}.',

  warningTitle: 'Session expiring',
  warningMessage: 'Your session is about to expire: {seconds} seconds',
  staySignedIn: 'Stay signed in',
  unsavedChanges: 'You have unsaved changes.',

  reauthenticationRequired: 'Please confirm your password to continue.',
};
