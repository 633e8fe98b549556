// Use case: what a signed-in resident's pages need of their account (GET /accounts/{n}): district, meters, window.
import { localize } from '#config/schema';
import { NotFoundError } from '#domain/errors';
import { readingWindow } from '#domain/reading';
import type { Deps } from './ports.ts';

export interface AccountView {
  accountNumber: string;
  district: string;
  /** In the language the request asked for, else the utility's primary. */
  districtName: string;
  /** A reading form takes one value per register, in this order (day before night). */
  meters: Array<{ id: string; kind: string; registers: string[]; unit: string }>;
  paymentMethod: string;
  /** Whether readings count today, in the utility's time zone: a form can say so before anyone types. */
  readingWindow: { startDay: number; endDay: number; open: boolean };
}

/** No holder name, address or phones: the page already knows whose it is, and a token may sit on a shared device. */
export async function accountView(
  deps: Pick<Deps, 'config' | 'clock' | 'accounts'>,
  accountNumber: string,
  language: string,
): Promise<AccountView> {
  const { config } = deps;
  const account = await deps.accounts.get(accountNumber);
  if (!account) throw new NotFoundError('account-not-found', `There is no account ${accountNumber}.`);
  const district = config.districts.find((d) => d.code === account.district);
  const { window } = config.readings;
  return {
    accountNumber: account.accountNumber,
    district: account.district,
    districtName: district ? localize(config, district.name, language) : account.district,
    meters: account.meters.map((m) => ({
      id: m.id,
      kind: m.kind,
      registers: [...m.registers],
      unit: m.unit,
    })),
    paymentMethod: account.paymentMethod,
    readingWindow: {
      startDay: window.startDay,
      endDay: window.endDay,
      open: readingWindow(deps.clock.now(), config.timeZone, window).open,
    },
  };
}
