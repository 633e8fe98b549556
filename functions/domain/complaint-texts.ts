// The SMS texts of complaints: the reporter's updates (assigned, resolved, rejected, merged) and the office's SLA alert.

/** What a reporter is told about: the staff changes that matter to them. */
export type ComplaintUpdateEvent = 'assigned' | 'resolved' | 'rejected' | 'merged';

export interface ComplaintUpdateText {
  utilityName: string;
  trackingCode: string;
  typeName: string;
  /** A rejection's reason as staff wrote it. */
  reason?: string;
  /** A merge: the tracking code of the complaint it now follows. */
  original?: string;
}

type Templates = Record<ComplaintUpdateEvent, (t: ComplaintUpdateText) => string>;

const updates: Record<string, Templates> = {
  ko: {
    assigned: (t) =>
      `[${t.utilityName}] 민원(${t.trackingCode}, ${t.typeName})이 담당 부서에 배정되었습니다.`,
    resolved: (t) => `[${t.utilityName}] 민원(${t.trackingCode}, ${t.typeName}) 처리가 완료되었습니다.`,
    rejected: (t) =>
      `[${t.utilityName}] 민원(${t.trackingCode}, ${t.typeName})이 처리되지 않았습니다. 사유: ${t.reason ?? '-'}`,
    merged: (t) =>
      `[${t.utilityName}] 민원(${t.trackingCode})은 같은 내용의 민원 ${t.original}과 함께 처리됩니다. ${t.original}로 진행 상황을 확인하세요.`,
  },
  ru: {
    assigned: (t) =>
      `${t.utilityName}: обращение ${t.trackingCode} (${t.typeName}) передано ответственному отделу.`,
    resolved: (t) => `${t.utilityName}: обращение ${t.trackingCode} (${t.typeName}) выполнено.`,
    rejected: (t) =>
      `${t.utilityName}: обращение ${t.trackingCode} (${t.typeName}) отклонено. Причина: ${t.reason ?? '-'}`,
    merged: (t) =>
      `${t.utilityName}: обращение ${t.trackingCode} объединено с обращением ${t.original} о том же. Следите за ходом по коду ${t.original}.`,
  },
  en: {
    assigned: (t) =>
      `${t.utilityName}: your complaint ${t.trackingCode} (${t.typeName}) has been assigned to the responsible office.`,
    resolved: (t) => `${t.utilityName}: your complaint ${t.trackingCode} (${t.typeName}) has been resolved.`,
    rejected: (t) =>
      `${t.utilityName}: your complaint ${t.trackingCode} (${t.typeName}) was rejected. Reason: ${t.reason ?? '-'}`,
    merged: (t) =>
      `${t.utilityName}: your complaint ${t.trackingCode} is handled together with ${t.original}, which reports the same. Track it by ${t.original}.`,
  },
};

/** The reporter's update in their language (English when the utility has no text in it). */
export function complaintUpdateText(
  language: string,
  event: ComplaintUpdateEvent,
  text: ComplaintUpdateText,
): string {
  const templates = updates[language] ?? updates.en;
  return templates?.[event](text) ?? '';
}

export interface SlaAlertText {
  trackingCode: string;
  typeName: string;
  /** Whole hours past the deadline (0 in the hour it falls due). */
  hoursOverdue: number;
}

// In the hour the deadline falls due the alert says "just passed", not "0 hours".
const slaAlerts: Record<string, (t: SlaAlertText) => string> = {
  ko: (t) =>
    t.hoursOverdue === 0
      ? `[민원 기한 초과] ${t.trackingCode} (${t.typeName}) 처리 기한이 방금 지났습니다.`
      : `[민원 기한 초과] ${t.trackingCode} (${t.typeName}) 처리 기한이 ${t.hoursOverdue}시간 지났습니다.`,
  ru: (t) =>
    t.hoursOverdue === 0
      ? `[Срок обращения истёк] ${t.trackingCode} (${t.typeName}): срок только что истёк.`
      : `[Срок обращения истёк] ${t.trackingCode} (${t.typeName}): просрочено на ${t.hoursOverdue} ч.`,
  en: (t) =>
    t.hoursOverdue === 0
      ? `[Complaint past SLA] ${t.trackingCode} (${t.typeName}) has just passed its deadline.`
      : `[Complaint past SLA] ${t.trackingCode} (${t.typeName}) is ${t.hoursOverdue} h past its deadline.`,
};

/** The office's alert of one complaint past its deadline, in the utility's language. */
export function slaAlertText(language: string, text: SlaAlertText): string {
  return (slaAlerts[language] ?? slaAlerts.en)?.(text) ?? '';
}

/** The office's alert for the breaches beyond the per-run bound, which are not alerted one by one. */
const slaSummaries: Record<string, (count: number) => string> = {
  ko: (n) => `[민원 기한 초과] 그 밖에 ${n}건의 민원이 처리 기한을 넘겼습니다. 관리 화면에서 확인하세요.`,
  ru: (n) => `[Срок обращения истёк] Ещё ${n} обращений просрочены. Список — в консоли сотрудника.`,
  en: (n) => `[Complaints past SLA] ${n} more complaints are past their deadline; see the staff console.`,
};

export function slaSummaryText(language: string, count: number): string {
  return (slaSummaries[language] ?? slaSummaries.en)?.(count) ?? '';
}
