// The words a receipt is printed with, in Korean, Russian and English.
import type { BillStatus, UsageMethod } from './bill.ts';
import type { NoticeLanguage, NoticeService } from './notice-text-format.ts';

type PaymentMethod = 'auto-pay' | 'giro' | 'virtual-account' | 'card' | 'cash';

export interface ReceiptWords {
  title: (service: NoticeService) => string;
  paymentMethods: Record<PaymentMethod, string>;
  statuses: Record<BillStatus, string>;
  /** Printed on a bill not fully paid, so nobody takes it for proof of payment. */
  statement: string;
  methods: Record<UsageMethod, string>;
  readingKinds: Record<'actual' | 'estimated', string>;
  labels: {
    account: string;
    holder: string;
    address: string;
    period: string;
    issued: string;
    usagePeriod: string;
    usage: string;
    method: string;
    meterReadings: string;
    meter: string;
    previous: string;
    current: string;
    volume: string;
    charges: string;
    rate: string;
    amount: string;
    reductions: string;
    arrears: string;
    lateFee: string;
    amountDue: string;
    dueDate: string;
    payments: string;
    paidAt: string;
    paymentMethod: string;
    reference: string;
    amountPaid: string;
    outstanding: string;
    status: string;
    virtualAccount: string;
    households: string;
    sharePerHousehold: string;
    contact: string;
    none: string;
  };
}

export const receiptWords: Record<NoticeLanguage, ReceiptWords> = {
  ko: {
    title: (service) => (service === 'water' ? '수도요금 영수증' : '전기요금 영수증'),
    paymentMethods: {
      'auto-pay': '자동이체',
      giro: '지로',
      'virtual-account': '가상계좌',
      card: '카드',
      cash: '현금',
    },
    statuses: { paid: '납부 완료', unpaid: '미납', overdue: '연체' },
    statement: '납부되지 않은 요금의 청구 내역서입니다 (납부 영수증이 아닙니다).',
    methods: { actual: '검침', average: '평균 추정', normative: '기준량 추정', reconciled: '검침 후 정산' },
    readingKinds: { actual: '검침', estimated: '추정' },
    labels: {
      account: '고객번호',
      holder: '사용자',
      address: '주소',
      period: '청구월',
      issued: '발행일',
      usagePeriod: '사용기간',
      usage: '사용량',
      method: '산정 방법',
      meterReadings: '계량기 지침',
      meter: '계량기',
      previous: '전월 지침',
      current: '당월 지침',
      volume: '사용량',
      charges: '요금 내역',
      rate: '단가',
      amount: '금액',
      reductions: '감면',
      arrears: '미납액',
      lateFee: '연체가산금',
      amountDue: '청구금액',
      dueDate: '납기일',
      payments: '납부 내역',
      paidAt: '납부일',
      paymentMethod: '납부 방법',
      reference: '승인번호',
      amountPaid: '납부액',
      outstanding: '미납 잔액',
      status: '상태',
      virtualAccount: '가상계좌',
      households: '세대수',
      sharePerHousehold: '세대별 금액',
      contact: '문의',
      none: '없음',
    },
  },
  ru: {
    title: (service) => (service === 'water' ? 'Квитанция за водоснабжение' : 'Квитанция за электроэнергию'),
    paymentMethods: {
      'auto-pay': 'автоплатёж',
      giro: 'по квитанции',
      'virtual-account': 'перевод на счёт',
      card: 'картой',
      cash: 'наличными',
    },
    statuses: { paid: 'оплачено', unpaid: 'не оплачено', overdue: 'просрочено' },
    statement: 'Счёт не оплачен: это извещение о сумме к оплате, а не подтверждение оплаты.',
    methods: {
      actual: 'по показаниям',
      average: 'по среднему',
      normative: 'по нормативу',
      reconciled: 'перерасчёт по показаниям',
    },
    readingKinds: { actual: 'фактическое', estimated: 'расчётное' },
    labels: {
      account: 'Лицевой счёт',
      holder: 'Плательщик',
      address: 'Адрес',
      period: 'Расчётный период',
      issued: 'Дата выставления',
      usagePeriod: 'Период потребления',
      usage: 'Потребление',
      method: 'Способ расчёта',
      meterReadings: 'Показания приборов учёта',
      meter: 'Прибор учёта',
      previous: 'Предыдущие',
      current: 'Текущие',
      volume: 'Объём',
      charges: 'Начисления',
      rate: 'Тариф',
      amount: 'Сумма',
      reductions: 'Льготы и скидки',
      arrears: 'Задолженность',
      lateFee: 'Пени',
      amountDue: 'Итого к оплате',
      dueDate: 'Оплатить до',
      payments: 'Платежи',
      paidAt: 'Дата оплаты',
      paymentMethod: 'Способ оплаты',
      reference: 'Номер операции',
      amountPaid: 'Оплачено',
      outstanding: 'Остаток к оплате',
      status: 'Статус',
      virtualAccount: 'Счёт для оплаты',
      households: 'Число семей',
      sharePerHousehold: 'Доля одной семьи',
      contact: 'Телефон для справок',
      none: 'нет',
    },
  },
  en: {
    title: (service) => (service === 'water' ? 'Water bill receipt' : 'Electricity bill receipt'),
    paymentMethods: {
      'auto-pay': 'auto-pay',
      giro: 'giro',
      'virtual-account': 'virtual account',
      card: 'card',
      cash: 'cash',
    },
    statuses: { paid: 'paid', unpaid: 'not paid', overdue: 'overdue' },
    statement: 'Not paid: this is a statement of what is owed, not a proof of payment.',
    methods: {
      actual: 'meter reading',
      average: 'estimated from the average',
      normative: 'estimated from the norm',
      reconciled: 'reading after estimates, reconciled',
    },
    readingKinds: { actual: 'actual', estimated: 'estimated' },
    labels: {
      account: 'Account',
      holder: 'Holder',
      address: 'Address',
      period: 'Billing period',
      issued: 'Issued',
      usagePeriod: 'Usage period',
      usage: 'Usage',
      method: 'Method',
      meterReadings: 'Meter readings',
      meter: 'Meter',
      previous: 'Previous',
      current: 'Current',
      volume: 'Volume',
      charges: 'Charges',
      rate: 'Rate',
      amount: 'Amount',
      reductions: 'Reductions',
      arrears: 'Arrears',
      lateFee: 'Late fee',
      amountDue: 'Amount due',
      dueDate: 'Due date',
      payments: 'Payments',
      paidAt: 'Paid on',
      paymentMethod: 'Method',
      reference: 'Reference',
      amountPaid: 'Amount paid',
      outstanding: 'Outstanding',
      status: 'Status',
      virtualAccount: 'Virtual account',
      households: 'Households',
      sharePerHousehold: 'Share per household',
      contact: 'Contact',
      none: 'none',
    },
  },
};
