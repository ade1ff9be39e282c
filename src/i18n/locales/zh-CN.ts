// Simplified Chinese (zh-CN) catalogue of every user-visible string; also served for every other Chinese variant.
import type { Messages } from '../index.js';

/**
 * Simplified Chinese messages; every key of `Messages` is required.
 * @example
 * messages.signOut; // '退出登录'
 */
export const messages: Messages = {
  activeSessions: '活动会话',
  location: '位置',
  device: '设备',
  ipAddress: 'IP 地址',
  created: '创建时间',
  lastActivity: '最近活动',
  thisSession: '（当前会话）',
  endSession: '结束会话',
  endAllOtherSessions: '结束所有其他会话',
  noOtherSessions: '您没有其他活动会话。',
  sessionEnded: '会话已结束。',
  // Chinese has a single plural form.
  otherSessionsEnded: {
    other: '已结束 {count} 个其他会话。',
  },
  unknownDevice: '未知设备',
  unknownLocation: '未知位置',
  signOut: '退出登录',
  signIn: '登录',
  signedOut: '已退出登录',
  back: '返回',
  deviceOn: '{os} 上的 {browser}',
  justNow: '刚刚',
  actions: '操作',

  allSessions: '所有会话',
  user: '用户',
  status: '状态',
  active: '活动中',
  ended: '已结束',
  all: '全部',
  mine: '仅限我的',
  search: '搜索',
  searchPlaceholder: '用户 ID 或 IP 地址',
  endAllForUser: '结束该用户的所有会话',
  userSessionsEnded: {
    other: '已结束该用户的 {count} 个会话。',
  },
  nextPage: '下一页',
  firstPage: '第一页',
  noSessions: '没有匹配的会话。',
  endReason: '结束原因',
  endReasonLogout: '主动退出',
  endReasonIdle: '长时间无操作',
  endReasonExpired: '达到最长时限',
  endReasonReplaced: '被新的登录取代',
  endReasonRevoked: '由用户结束',
  endReasonRevokedByAdmin: '由管理员结束',

  reasonLogout: '您已退出登录。',
  reasonIdle: '由于长时间无操作，您已退出登录。',
  reasonExpired: '您的会话已达到最长时限，请重新登录。',
  reasonReplaced: '您的账户已在其他设备上登录，因此您已退出登录。',
  reasonRevoked: '此会话已在其他设备上被结束。',
  reasonRevokedByAdmin: '此会话已被管理员结束。',

  limitRefused: '此账户已在其他设备上登录。请在{time}后重试。',

  warningTitle: '会话即将过期',
  warningMessage: '您的会话即将过期：剩余 {seconds} 秒',
  staySignedIn: '保持登录',
  unsavedChanges: '您有未保存的更改。',

  reauthenticationRequired: '请确认您的密码以继续。',
};
