// French (fr) catalogue of every user-visible string; "vous", and gender-neutral wording where French allows it.
import type { Messages } from '../index.js';

/**
 * French messages; every key of `Messages` is required.
 * @example
 * messages.signOut; // 'Se déconnecter'
 */
export const messages: Messages = {
  activeSessions: 'Sessions actives',
  location: 'Localisation',
  device: 'Appareil',
  ipAddress: 'Adresse IP',
  created: 'Créée le',
  lastActivity: 'Dernière activité',
  thisSession: '(cette session)',
  endSession: 'Mettre fin à la session',
  endAllOtherSessions: 'Mettre fin à toutes les autres sessions',
  noOtherSessions: 'Vous n’avez aucune autre session active.',
  sessionEnded: 'Session terminée.',
  otherSessionsEnded: {
    one: '{count} autre session terminée.',
    other: '{count} autres sessions terminées.',
  },
  unknownDevice: 'Appareil inconnu',
  unknownLocation: 'Localisation inconnue',
  signOut: 'Se déconnecter',
  signIn: 'Se connecter',
  signedOut: 'Déconnexion',
  back: 'Retour',
  deviceOn: '{browser} sur {os}',
  justNow: 'à l’instant',
  actions: 'Actions',

  allSessions: 'Toutes les sessions',
  user: 'Utilisateur',
  status: 'Statut',
  active: 'Active',
  ended: 'Terminée',
  all: 'Toutes',
  mine: 'Les miennes uniquement',
  search: 'Rechercher',
  searchPlaceholder: 'ID utilisateur ou adresse IP',
  endAllForUser: 'Mettre fin à toutes les sessions de cet utilisateur',
  userSessionsEnded: {
    one: '{count} session de cet utilisateur terminée.',
    other: '{count} sessions de cet utilisateur terminées.',
  },
  nextPage: 'Page suivante',
  firstPage: 'Première page',
  noSessions: 'Aucune session ne correspond.',
  endReason: 'Motif de fin',
  endReasonLogout: 'Déconnexion',
  endReasonIdle: 'Inactivité',
  endReasonExpired: 'Durée maximale atteinte',
  endReasonReplaced: 'Remplacée par une connexion plus récente',
  endReasonRevoked: 'Terminée par l’utilisateur',
  endReasonRevokedByAdmin: 'Terminée par un administrateur',

  reasonLogout: 'Votre déconnexion a bien été effectuée.',
  reasonIdle: 'Votre session a été fermée après une période d’inactivité.',
  reasonExpired: 'Votre session a atteint sa durée maximale. Veuillez vous reconnecter.',
  reasonReplaced: 'Votre session a été fermée, car votre compte s’est connecté sur un autre appareil.',
  reasonRevoked: 'Cette session a été fermée depuis un autre appareil.',
  reasonRevokedByAdmin: 'Cette session a été fermée par un administrateur.',

  limitRefused: 'Ce compte est déjà connecté sur un autre appareil. Réessayez dans {time}.',

  warningTitle: 'Session bientôt expirée',
  // French typography puts a no-break space before the colon.
  warningMessage: 'Votre session va bientôt expirer. Secondes restantes\u00a0: {seconds}',
  staySignedIn: 'Rester connecté',
  unsavedChanges: 'Vous avez des modifications non enregistrées.',

  reauthenticationRequired: 'Veuillez confirmer votre mot de passe pour continuer.',
};
