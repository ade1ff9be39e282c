// Brazilian Portuguese (pt-BR) catalogue of every user-visible string; "você". Also served to other Portuguese speakers.
import type { Messages } from '../index.js';

/**
 * Brazilian Portuguese messages; every key of `Messages` is required.
 * @example
 * messages.signOut; // 'Sair'
 */
export const messages: Messages = {
  activeSessions: 'Sessões ativas',
  location: 'Localização',
  device: 'Dispositivo',
  ipAddress: 'Endereço IP',
  created: 'Criada em',
  lastActivity: 'Última atividade',
  thisSession: '(esta sessão)',
  endSession: 'Encerrar sessão',
  endAllOtherSessions: 'Encerrar todas as outras sessões',
  noOtherSessions: 'Você não tem outras sessões ativas.',
  sessionEnded: 'Sessão encerrada.',
  // Portuguese "one" covers 0 and 1 ("0 outra sessão encerrada" is how CLDR reads it).
  otherSessionsEnded: {
    one: '{count} outra sessão encerrada.',
    other: '{count} outras sessões encerradas.',
  },
  unknownDevice: 'Dispositivo desconhecido',
  unknownLocation: 'Localização desconhecida',
  signOut: 'Sair',
  signIn: 'Entrar',
  signedOut: 'Você saiu',
  back: 'Voltar',
  deviceOn: '{browser} no {os}',
  justNow: 'agora mesmo',
  actions: 'Ações',

  allSessions: 'Todas as sessões',
  user: 'Usuário',
  status: 'Status',
  active: 'Ativa',
  ended: 'Encerrada',
  all: 'Todas',
  mine: 'Somente as minhas',
  search: 'Pesquisar',
  searchPlaceholder: 'ID do usuário ou endereço IP',
  endAllForUser: 'Encerrar todas as sessões deste usuário',
  userSessionsEnded: {
    one: '{count} sessão deste usuário encerrada.',
    other: '{count} sessões deste usuário encerradas.',
  },
  nextPage: 'Próxima página',
  firstPage: 'Primeira página',
  noSessions: 'Nenhuma sessão encontrada.',
  endReason: 'Motivo do encerramento',
  endReasonLogout: 'Saída da conta',
  endReasonIdle: 'Inatividade',
  endReasonExpired: 'Duração máxima atingida',
  endReasonReplaced: 'Substituída por um login mais recente',
  endReasonRevoked: 'Encerrada pelo usuário',
  endReasonRevokedByAdmin: 'Encerrada por um administrador',

  reasonLogout: 'Você saiu da sua conta.',
  reasonIdle: 'Sua sessão foi encerrada após um período de inatividade.',
  reasonExpired: 'Sua sessão atingiu a duração máxima. Entre novamente.',
  reasonReplaced: 'Sua sessão foi encerrada porque sua conta foi acessada em outro dispositivo.',
  reasonRevoked: 'Esta sessão foi encerrada a partir de outro dispositivo.',
  reasonRevokedByAdmin: 'Esta sessão foi encerrada por um administrador.',

  limitRefused: 'Esta conta já está conectada em outro dispositivo. Tente novamente em {time}.',

  warningTitle: 'Sessão expirando',
  warningMessage: 'Sua sessão está prestes a expirar. Segundos restantes: {seconds}',
  staySignedIn: 'Continuar conectado',
  unsavedChanges: 'Você tem alterações não salvas.',

  reauthenticationRequired: 'Confirme sua senha para continuar.',
};
