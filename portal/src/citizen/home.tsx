// The first screen: how to reach the utility, when readings count, and the current announcements for the
// resident's district (the choice remembered on the device).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { href } from '../shared/router.ts';
import { ErrorMessage, Loading, problemText, SelectField } from '../shared/ui.tsx';
import type { PageProps } from './context.ts';
import { problemKnown } from './strings.ts';

interface Announcement {
  id: string;
  kind: string;
  title: string;
  text: string;
  districts: string[];
  sendAt: string;
}

const DISTRICT_KEY = 'utilitydesk.district';

function storedDistrict(codes: string[]): string {
  try {
    const stored = localStorage.getItem(DISTRICT_KEY) ?? '';
    return codes.includes(stored) ? stored : '';
  } catch {
    return '';
  }
}

export function Home({ utility, language, t, f }: PageProps) {
  const [district, setDistrict] = useState(() => storedDistrict(utility.districts.map((d) => d.code)));
  const [items, setItems] = useState<Announcement[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    setItems(undefined);
    setError(undefined);
    // The language in the query too: the answer is cached for a minute, and a cache keys on the URL.
    const query = new URLSearchParams({ lang: language, ...(district ? { district } : {}) });
    api<{ items: Announcement[] }>(`/announcements?${query}`)
      .then((answer) => live && setItems(answer.items))
      .catch((e) => live && setError(problemText(e, (code) => problemKnown(t, code), t('loadFailed'))));
    return () => {
      live = false;
    };
  }, [district, language, t]);

  const choose = (code: string) => {
    try {
      localStorage.setItem(DISTRICT_KEY, code);
    } catch {
      // Not remembered: the choice still applies to this visit.
    }
    setDistrict(code);
  };

  return (
    <>
      <h1>{t('home.welcome', { name: utility.name })}</h1>
      <p>{t('home.intro')}</p>
      <ul class="tasks">
        <li>
          <a href={href('/bills')}>{t('nav.bills')}</a>
        </li>
        <li>
          <a href={href('/reading')}>{t('nav.reading')}</a>
        </li>
        <li>
          <a href={href('/report')}>{t('nav.report')}</a>
        </li>
        <li>
          <a href={href('/track')}>{t('nav.track')}</a>
        </li>
        <li>
          <a href={href('/sign-up')}>{t('nav.signup')}</a>
        </li>
      </ul>
      <section aria-labelledby="contact-heading" class="card">
        <h2 id="contact-heading">{t('home.contact')}</h2>
        <dl class="facts">
          <dt>{t('home.phone')}</dt>
          <dd>
            <a href={`tel:${utility.contactPhone}`}>{utility.contactPhone}</a>
          </dd>
          <dt>{t('home.sms')}</dt>
          <dd>
            <a href={`sms:${utility.smsNumber}`}>{utility.smsNumber}</a>
          </dd>
        </dl>
        <p>
          {t('home.window', { start: utility.readingWindow.startDay, end: utility.readingWindow.endDay })}
        </p>
      </section>
      <section aria-labelledby="announcements-heading">
        <h2 id="announcements-heading">{t('home.announcements')}</h2>
        <SelectField
          label={t('home.district')}
          hint={t('home.districtHint')}
          value={district}
          onValue={choose}
          options={[
            { value: '', label: t('home.allDistricts') },
            ...utility.districts.map((d) => ({ value: d.code, label: d.name })),
          ]}
        />
        {/* One region that stays mounted, so a change of district is announced when its list arrives. */}
        <div aria-live="polite">
          {error && <ErrorMessage title={t('errorTitle')} message={error} />}
          {!error && !items && <Loading label={t('loading')} />}
          {items && items.length === 0 && <p>{t('home.noAnnouncements')}</p>}
          {items && items.length > 0 && (
            <ul class="announcements">
              {items.map((item) => (
                <li key={item.id} class="card">
                  <h3>{item.title}</h3>
                  <p class="announcement-text">{item.text}</p>
                  <p class="hint">{t('home.sentAt', { date: f.dateTime(item.sendAt) })}</p>
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>
    </>
  );
}
