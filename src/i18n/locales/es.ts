// Spanish (es) catalogue of every user-visible string; informal "tú", as most Spanish web products use.
import type { Messages } from '../index.js';

/**
 * Spanish messages; every key of `Messages` is required.
 * @example
 * messages.signOut; // 'Cerrar sesión'
 */
export const messages: Messages = {
  activeSessions: 'Sesiones activas',
  location: 'Ubicación',
  device: 'Dispositivo',
  ipAddress: 'Dirección IP',
  created: 'Creada',
  lastActivity: 'Última actividad',
  thisSession: '(esta sesión)',
  // "Cerrar sesión" already means "sign out"; "finalizar" keeps the two buttons apart.
  endSession: 'Finalizar sesión',
  endAllOtherSessions: 'Finalizar todas las demás sesiones',
  noOtherSessions: 'No tienes otras sesiones activas.',
  sessionEnded: 'Sesión finalizada.',
  otherSessionsEnded: {
    one: 'Se finalizó {count} sesión más.',
    other: 'Se finalizaron {count} sesiones más.',
  },
  unknownDevice: 'Dispositivo desconocido',
  unknownLocation: 'Ubicación desconocida',
  signOut: 'Cerrar sesión',
  signIn: 'Iniciar sesión',
  signedOut: 'Sesión cerrada',
  back: 'Volver',
  deviceOn: '{browser} en {os}',
  justNow: 'justo ahora',
  actions: 'Acciones',

  allSessions: 'Todas las sesiones',
  user: 'Usuario',
  status: 'Estado',
  active: 'Activa',
  ended: 'Finalizada',
  all: 'Todas',
  mine: 'Solo las mías',
  search: 'Buscar',
  searchPlaceholder: 'ID de usuario o dirección IP',
  endAllForUser: 'Finalizar todas las sesiones de este usuario',
  userSessionsEnded: {
    one: 'Se finalizó {count} sesión de este usuario.',
    other: 'Se finalizaron {count} sesiones de este usuario.',
  },
  nextPage: 'Página siguiente',
  firstPage: 'Primera página',
  noSessions: 'Ninguna sesión coincide.',
  endReason: 'Motivo de finalización',
  endReasonLogout: 'Cierre de sesión',
  endReasonIdle: 'Inactividad',
  endReasonExpired: 'Duración máxima alcanzada',
  endReasonReplaced: 'Sustituida por un inicio de sesión más reciente',
  endReasonRevoked: 'Finalizada por el usuario',
  endReasonRevokedByAdmin: 'Finalizada por un administrador',

  reasonLogout: 'Has cerrado sesión.',
  reasonIdle: 'Se cerró tu sesión tras un período de inactividad.',
  reasonExpired: 'Tu sesión alcanzó su duración máxima. Vuelve a iniciar sesión.',
  reasonReplaced: 'Se cerró tu sesión porque se inició sesión con tu cuenta en otro dispositivo.',
  reasonRevoked: 'Esta sesión se finalizó desde otro dispositivo.',
  reasonRevokedByAdmin: 'Un administrador finalizó esta sesión.',

  limitRefused: 'Esta cuenta ya tiene una sesión iniciada en otro dispositivo. Vuelve a intentarlo dentro de {time}.',

  warningTitle: 'La sesión está por caducar',
  warningMessage: 'Tu sesión está a punto de caducar. Segundos restantes: {seconds}',
  staySignedIn: 'Mantener la sesión iniciada',
  unsavedChanges: 'Tienes cambios sin guardar.',

  reauthenticationRequired: 'Confirma tu contraseña para continuar.',
};
