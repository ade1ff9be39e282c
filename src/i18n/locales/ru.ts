// Russian (ru) catalogue of every user-visible string; polite "вы", "сеанс" for session as Russian interfaces say.
import type { Messages } from '../index.js';

/**
 * Russian messages; every key of `Messages` is required.
 * @example
 * messages.signOut; // 'Выйти'
 */
export const messages: Messages = {
  activeSessions: 'Активные сеансы',
  location: 'Местоположение',
  device: 'Устройство',
  ipAddress: 'IP-адрес',
  created: 'Создан',
  lastActivity: 'Последняя активность',
  thisSession: '(текущий сеанс)',
  endSession: 'Завершить сеанс',
  endAllOtherSessions: 'Завершить все другие сеансы',
  noOtherSessions: 'У вас нет других активных сеансов.',
  sessionEnded: 'Сеанс завершён.',
  // "one" is 1, 21, 31…; "few" 2–4, 22–24…; "many" 0, 5–20, 25–30…; "other" is for fractions.
  otherSessionsEnded: {
    one: 'Завершён {count} другой сеанс.',
    few: 'Завершено {count} других сеанса.',
    many: 'Завершено {count} других сеансов.',
    other: 'Завершено {count} другого сеанса.',
  },
  unknownDevice: 'Неизвестное устройство',
  unknownLocation: 'Неизвестное местоположение',
  signOut: 'Выйти',
  signIn: 'Войти',
  signedOut: 'Выход выполнен',
  back: 'Назад',
  deviceOn: '{browser} на {os}',
  justNow: 'только что',
  actions: 'Действия',

  allSessions: 'Все сеансы',
  user: 'Пользователь',
  status: 'Статус',
  active: 'Активен',
  ended: 'Завершён',
  all: 'Все',
  mine: 'Только мои',
  search: 'Найти',
  searchPlaceholder: 'ID пользователя или IP-адрес',
  endAllForUser: 'Завершить все сеансы этого пользователя',
  userSessionsEnded: {
    one: 'Завершён {count} сеанс этого пользователя.',
    few: 'Завершено {count} сеанса этого пользователя.',
    many: 'Завершено {count} сеансов этого пользователя.',
    other: 'Завершено {count} сеанса этого пользователя.',
  },
  nextPage: 'Следующая страница',
  firstPage: 'Первая страница',
  noSessions: 'Подходящих сеансов нет.',
  endReason: 'Причина завершения',
  endReasonLogout: 'Выход из аккаунта',
  endReasonIdle: 'Бездействие',
  endReasonExpired: 'Достигнута максимальная длительность',
  endReasonReplaced: 'Заменён более новым входом',
  endReasonRevoked: 'Завершён пользователем',
  endReasonRevokedByAdmin: 'Завершён администратором',

  reasonLogout: 'Вы вышли из аккаунта.',
  reasonIdle: 'Сеанс завершён из-за длительного бездействия.',
  reasonExpired: 'Сеанс достиг максимальной длительности. Войдите снова.',
  reasonReplaced: 'Сеанс завершён, потому что в ваш аккаунт выполнен вход на другом устройстве.',
  reasonRevoked: 'Этот сеанс был завершён с другого устройства.',
  reasonRevokedByAdmin: 'Этот сеанс был завершён администратором.',

  // "через {time}" would need the accusative ("через 1 минуту") that Intl's unit names lack; after a colon
  // their nominative ("1 минута") is right.
  limitRefused: 'В этот аккаунт уже выполнен вход на другом устройстве. Повторите попытку позже (осталось: {time}).',

  warningTitle: 'Сеанс скоро истечёт',
  warningMessage: 'Ваш сеанс скоро истечёт. Осталось секунд: {seconds}',
  staySignedIn: 'Продолжить сеанс',
  unsavedChanges: 'У вас есть несохранённые изменения.',

  reauthenticationRequired: 'Чтобы продолжить, подтвердите пароль.',
};
