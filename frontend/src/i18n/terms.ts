// The work-order vocabulary every screen shares (DOMAIN.md's terms), one key per API enum value.
import type {
  AssignmentRole, AssignmentState, Channel, RequestType, SupervisionLevel, SupervisionState, WorkOrderState,
} from '../generated/graphql';

export const zh = {
  'orderState.PENDING_DISPATCH': '待派单',
  'orderState.IN_PROGRESS': '办理中',
  'orderState.PENDING_CALLBACK': '待回访',
  'orderState.CLOSED': '已办结',
  'orderState.ARCHIVED': '已归档',
  'orderState.MERGED': '已合并',

  'channel.PHONE': '电话',
  'channel.SMS': '短信',
  'channel.WEB': '网站',
  'channel.MAILBOX': '信箱',
  'channel.WECHAT': '微信',
  'channel.WEIBO': '微博',
  'channel.APP': '移动应用',
  'channel.MESSAGE_BOARD': '留言板',

  'requestType.CONSULTATION': '咨询',
  'requestType.HELP': '求助',
  'requestType.COMPLAINT': '投诉',
  'requestType.REPORT': '举报',
  'requestType.SUGGESTION': '建议',
  'requestType.PRAISE': '表扬',

  'responseLevel.1': '一级（紧急）',
  'responseLevel.2': '二级（加急）',
  'responseLevel.3': '三级（一般）',
  'responseLevel.4': '四级（常规）',

  'assignmentRole.LEAD': '主办',
  'assignmentRole.SUPPORT': '协办',

  'assignmentState.PENDING_SIGN': '待签收',
  'assignmentState.IN_PROGRESS': '办理中',
  'assignmentState.RETURN_REQUESTED': '申请退回',
  'assignmentState.RETURNED': '已退回',
  'assignmentState.SUSPENDED': '挂起',
  'assignmentState.REPLIED': '已答复',
  'assignmentState.ACCEPTED': '已通过',
  'assignmentState.CANCELLED': '已撤销',

  'returnReason.NOT_WITHIN_DUTIES': '不属于本单位职责',
  'returnReason.OUTSIDE_JURISDICTION': '不在本单位辖区',
  'returnReason.INCOMPLETE_INFORMATION': '诉求信息不全',
  'returnReason.DUPLICATE': '重复工单',
  'returnReason.OTHER': '其他',

  'satisfaction.SATISFIED': '满意',
  'satisfaction.BASICALLY_SATISFIED': '基本满意',
  'satisfaction.DISSATISFIED': '不满意',

  'linkKind.MERGED': '合并',
  'linkKind.RELATED': '关联',

  'supervisionLevel.REMINDER': '提醒',
  'supervisionLevel.NOTICE': '督办',
  'supervisionLevel.LISTED': '挂牌督办',

  'supervisionState.OPEN': '待回复',
  'supervisionState.REPLIED': '已回复',
  'supervisionState.CLOSED': '已办结',
  'supervisionState.ESCALATED': '已升级',
  'supervisionState.SENT': '已发出',

  'deadline.met': '按时',
  'deadline.missed': '超时',
  'deadline.due': '剩余 {left}',
  'deadline.overdue': '已超时 {late}',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'orderState.PENDING_DISPATCH': 'To dispatch',
  'orderState.IN_PROGRESS': 'In progress',
  'orderState.PENDING_CALLBACK': 'To call back',
  'orderState.CLOSED': 'Closed',
  'orderState.ARCHIVED': 'Archived',
  'orderState.MERGED': 'Merged',

  'channel.PHONE': 'Phone',
  'channel.SMS': 'SMS',
  'channel.WEB': 'Website',
  'channel.MAILBOX': 'Mailbox',
  'channel.WECHAT': 'WeChat',
  'channel.WEIBO': 'Weibo',
  'channel.APP': 'App',
  'channel.MESSAGE_BOARD': 'Message board',

  'requestType.CONSULTATION': 'Consultation',
  'requestType.HELP': 'Request for help',
  'requestType.COMPLAINT': 'Complaint',
  'requestType.REPORT': 'Report',
  'requestType.SUGGESTION': 'Suggestion',
  'requestType.PRAISE': 'Praise',

  'responseLevel.1': 'Level 1 (emergency)',
  'responseLevel.2': 'Level 2 (urgent)',
  'responseLevel.3': 'Level 3 (normal)',
  'responseLevel.4': 'Level 4 (routine)',

  'assignmentRole.LEAD': 'Lead',
  'assignmentRole.SUPPORT': 'Supporting',

  'assignmentState.PENDING_SIGN': 'To sign for',
  'assignmentState.IN_PROGRESS': 'In progress',
  'assignmentState.RETURN_REQUESTED': 'Return requested',
  'assignmentState.RETURNED': 'Returned',
  'assignmentState.SUSPENDED': 'Suspended',
  'assignmentState.REPLIED': 'Replied',
  'assignmentState.ACCEPTED': 'Accepted',
  'assignmentState.CANCELLED': 'Cancelled',

  'returnReason.NOT_WITHIN_DUTIES': 'Not within our duties',
  'returnReason.OUTSIDE_JURISDICTION': 'Outside our jurisdiction',
  'returnReason.INCOMPLETE_INFORMATION': 'Information incomplete',
  'returnReason.DUPLICATE': 'Duplicate order',
  'returnReason.OTHER': 'Other',

  'satisfaction.SATISFIED': 'Satisfied',
  'satisfaction.BASICALLY_SATISFIED': 'Basically satisfied',
  'satisfaction.DISSATISFIED': 'Dissatisfied',

  'linkKind.MERGED': 'Merged',
  'linkKind.RELATED': 'Related',

  'supervisionLevel.REMINDER': 'Reminder',
  'supervisionLevel.NOTICE': 'Supervision notice',
  'supervisionLevel.LISTED': 'Listed supervision',

  'supervisionState.OPEN': 'Awaiting reply',
  'supervisionState.REPLIED': 'Replied',
  'supervisionState.CLOSED': 'Closed',
  'supervisionState.ESCALATED': 'Escalated',
  'supervisionState.SENT': 'Sent',

  'deadline.met': 'On time',
  'deadline.missed': 'Late',
  'deadline.due': '{left} left',
  'deadline.overdue': '{late} overdue',
};

// Compile-time checks that every enum value of the API has a label. (Codegen emits an enum's type only
// once an operation uses it: add ReturnReason, Satisfaction and LinkKind here when one does.)
type Covers<Prefix extends string, T extends string> = `${Prefix}.${T}` extends keyof typeof zh ? true : never;
export const termsCoverApi: [
  Covers<'orderState', WorkOrderState>, Covers<'channel', Channel>, Covers<'requestType', RequestType>,
  Covers<'assignmentRole', AssignmentRole>, Covers<'assignmentState', AssignmentState>,
  Covers<'supervisionLevel', SupervisionLevel>, Covers<'supervisionState', SupervisionState>,
] = [true, true, true, true, true, true, true];
