// The staff console: the utility and the page's language, the sign-in (local or hosted), who is signed in, the
// shell with its navigation, and the current page, loaded on demand so the first screen stays light.
import type { ComponentType } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, configureApi, type PortalConfig, type RequestOptions } from '../shared/api.ts';
import { formats } from '../shared/format.ts';
import { formattingLocale, translator, useLanguage } from '../shared/i18n.ts';
import { href, type Route, useRoute } from '../shared/router.ts';
import { ErrorMessage, Loading, Shell } from '../shared/ui.tsx';
import type { Utility } from '../shared/utility.ts';
import type { Desk, PageProps, StaffProfile } from './desk.ts';
import { problemMessage } from './desk.ts';
import {
  finishHostedSignIn,
  forgetSession,
  hostedSignOutUrl,
  type StaffSession,
  storedSession,
} from './session.ts';
import { SignIn } from './sign-in.tsx';
import { strings } from './strings.ts';

type PageName = 'queue' | 'complaint' | 'compose' | 'announcement' | 'reports' | 'payments';

const PAGES: Record<PageName, () => Promise<ComponentType<PageProps>>> = {
  queue: () => import('./queue.tsx').then((m) => m.QueuePage),
  complaint: () => import('./complaint.tsx').then((m) => m.ComplaintPage),
  compose: () => import('./composer.tsx').then((m) => m.ComposerPage),
  announcement: () => import('./announcement.tsx').then((m) => m.AnnouncementPage),
  reports: () => import('./reports.tsx').then((m) => m.ReportsPage),
  payments: () => import('./payments.tsx').then((m) => m.PaymentsPage),
};

function pageOf(route: Route): PageName {
  const [first, second] = route.segments;
  if (first === 'complaints' && second) return 'complaint';
  if (first === 'announcements') return second && second !== 'new' ? 'announcement' : 'compose';
  if (first === 'reports') return 'reports';
  if (first === 'payments') return 'payments';
  return 'queue';
}

export function App({ config }: { config: PortalConfig }) {
  const [utility, setUtility] = useState<Utility>();
  const [failure, setFailure] = useState<unknown>();
  useEffect(() => {
    api<Utility>('/utility').then(setUtility, setFailure);
  }, []);
  if (utility) return <Console config={config} first={utility} />;
  const t = translator(strings, 'en');
  return failure ? (
    <main id="main" class="boot">
      <ErrorMessage title={t('errorTitle')} message={problemMessage(t, failure)} />
    </main>
  ) : (
    <p class="boot">{t('loading')}</p>
  );
}

/** The console once the utility's languages are known, so the page's language is chosen among them. */
function Console({ config, first }: { config: PortalConfig; first: Utility }) {
  const route = useRoute();
  const [utility, setUtility] = useState<Utility>(first);
  const [failure, setFailure] = useState<unknown>();
  const [language, setLanguage] = useLanguage(first.languages);
  const [session, setSession] = useState<StaffSession | undefined>(storedSession);
  const [notice, setNotice] = useState<'sessionExpired' | 'signInFailed'>();
  const [me, setMe] = useState<StaffProfile>();
  const t = useMemo(() => translator(strings, language), [language]);

  configureApi({ language });

  // The utility's texts (district and type names) in the page's language: again when the language changes.
  useEffect(() => {
    if (utility.language === language) return;
    let live = true;
    api<Utility>(`/utility?lang=${encodeURIComponent(language)}`).then(
      (answer) => live && setUtility(answer),
      (error) => live && setFailure(error),
    );
    return () => {
      live = false;
    };
  }, [language]);

  // Back from the hosted sign-in with a code: exchanged once for the tokens.
  useEffect(() => {
    if (config.staffSignIn.kind !== 'cognito') return;
    finishHostedSignIn(config.staffSignIn).then(
      (signedIn) => signedIn && setSession(signedIn),
      () => setNotice('signInFailed'),
    );
  }, []);

  const endSession = useCallback((why?: 'sessionExpired') => {
    forgetSession();
    setSession(undefined);
    setMe(undefined);
    setNotice(why);
  }, []);

  const call = useCallback(
    async <T,>(path: string, options: RequestOptions = {}): Promise<T> => {
      try {
        return await api<T>(path, { ...options, token: session?.accessToken });
      } catch (error) {
        if (error instanceof ApiError && error.problem.status === 401) endSession('sessionExpired');
        throw error;
      }
    },
    [session, endSession],
  );

  useEffect(() => {
    if (!session) return;
    call<StaffProfile>('/admin/me').then(setMe, (error) => {
      if (!(error instanceof ApiError && error.problem.status === 401)) setFailure(error);
    });
  }, [session]);

  const signOut = () => {
    endSession();
    if (config.staffSignIn.kind === 'cognito') location.assign(hostedSignOutUrl(config.staffSignIn));
  };

  const name = pageOf(route);

  const desk: Desk | undefined = me && {
    t,
    language,
    utility,
    me,
    fmt: formats(formattingLocale(language, utility.locale), utility.currency, utility.timeZone),
    call,
    districtName: (code) =>
      code === 'central' ? t('central') : (utility.districts.find((d) => d.code === code)?.name ?? code),
    typeName: (complaint) =>
      utility.complaintTypes.find((type) => type.code === complaint.type)?.name ?? complaint.typeName,
  };

  const nav = [
    { path: '/complaints', label: t('navQueue'), page: ['queue', 'complaint'] },
    { path: '/announcements/new', label: t('navCompose'), page: ['compose', 'announcement'] },
    { path: '/reports', label: t('navReports'), page: ['reports'] },
    { path: '/payments', label: t('navPayments'), page: ['payments'] },
  ];

  return (
    <Shell
      siteName={`${utility.name} · ${t('siteName')}`}
      homeHref={href('/complaints')}
      nav={
        desk
          ? nav.map((item) => ({
              href: href(item.path),
              label: item.label,
              current: item.page.includes(name),
            }))
          : []
      }
      languages={utility.languages}
      language={language}
      onLanguage={setLanguage}
      texts={{ skipToContent: t('skipToContent'), language: t('language'), navigation: t('navigation') }}
    >
      {!session ? (
        <SignIn config={config} t={t} utility={utility} notice={notice} onSignedIn={setSession} />
      ) : !desk ? (
        failure ? (
          <ErrorMessage title={t('errorTitle')} message={problemMessage(t, failure)} />
        ) : (
          <Loading label={t('loading')} />
        )
      ) : (
        <>
          <div class="who no-print">
            <p>
              {t('signedInAs', {
                who: desk.me.subject,
                roles: desk.me.roles
                  .map((role) => (role === 'admin' ? t('roleAdmin') : t('roleStaff')))
                  .join(', '),
                districts: desk.me.allDistricts
                  ? t('allDistricts')
                  : desk.me.visibleDistricts.map(desk.districtName).join(', '),
              })}
            </p>
            <button type="button" class="secondary" onClick={signOut}>
              {t('signOut')}
            </button>
          </div>
          <LoadedPage name={name} desk={desk} route={route} />
        </>
      )}
    </Shell>
  );
}

function LoadedPage(props: { name: PageName; desk: Desk; route: Route }) {
  const [loaded, setLoaded] = useState<{ name: PageName; Page: ComponentType<PageProps> }>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setFailed(false);
    PAGES[props.name]().then(
      (Page) => live && setLoaded({ name: props.name, Page }),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [props.name]);
  if (failed) return <ErrorMessage title={props.desk.t('errorTitle')} message={props.desk.t('p_network')} />;
  if (!loaded || loaded.name !== props.name) return <Loading label={props.desk.t('loading')} />;
  const { Page } = loaded;
  return <Page desk={props.desk} route={props.route} />;
}
