// The citizen portal: loads the deployment's config and the utility (in the chosen language), draws the shell,
// and shows the page the hash route names; every page but the home page is loaded only when first visited.
import type { ComponentType } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, configureApi, loadPortalConfig } from '../shared/api.ts';
import { formats } from '../shared/format.ts';
import { formattingLocale, translator, useLanguage } from '../shared/i18n.ts';
import { href, useFocusHeading, useRoute } from '../shared/router.ts';
import { ErrorMessage, Loading, Shell } from '../shared/ui.tsx';
import type { Utility } from '../shared/utility.ts';
import type { PageProps } from './context.ts';
import { Home } from './home.tsx';
import { type Key, strings } from './strings.ts';

type PageModule = { default: ComponentType<PageProps> };

/** The pages behind the first screen, each its own chunk. */
const pages: Record<string, { load: () => Promise<PageModule>; nav: Key; title: Key }> = {
  bills: { load: () => import('./bills.tsx'), nav: 'nav.bills', title: 'bills.title' },
  reading: { load: () => import('./reading.tsx'), nav: 'nav.reading', title: 'reading.title' },
  report: { load: () => import('./report.tsx'), nav: 'nav.report', title: 'report.title' },
  track: { load: () => import('./track.tsx'), nav: 'nav.track', title: 'track.title' },
  'sign-up': { load: () => import('./signup.tsx'), nav: 'nav.signup', title: 'signup.title' },
};

export function App() {
  const [boot, setBoot] = useState<{ apiBase: string; utility: Utility }>();
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // Before the language is known, the browser's languages choose (Accept-Language) and the answer names the
  // utility's languages, so the first choice can be made from them.
  useEffect(() => {
    loadPortalConfig()
      .then(async (config) => setBoot({ apiBase: config.apiBase, utility: await api<Utility>('/utility') }))
      .catch(() => setFailed(true));
  }, [attempt]);
  const t = translator(strings, boot?.utility.language ?? 'en');
  if (boot) return <Portal apiBase={boot.apiBase} first={boot.utility} />;
  if (!failed) return <Loading label={t('loading')} />;
  return (
    <main id="main" tabindex={-1}>
      <ErrorMessage title={t('errorTitle')} message={t('loadFailed')} />
      <div class="actions">
        <button
          type="button"
          onClick={() => {
            setFailed(false);
            setAttempt(attempt + 1);
          }}
        >
          {t('tryAgain')}
        </button>
      </div>
    </main>
  );
}

function Portal(props: { apiBase: string; first: Utility }) {
  const [utility, setUtility] = useState(props.first);
  const [language, setLanguage] = useLanguage(props.first.languages);
  const route = useRoute();

  // The utility's texts follow the page's language: fetched again on a switch (the old ones stay meanwhile).
  useEffect(() => {
    configureApi({ language });
    if (utility.language === language) return;
    let live = true;
    api<Utility>(`/utility?lang=${encodeURIComponent(language)}`)
      .then((next) => live && setUtility(next))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [language, utility.language]);

  const t = useMemo(() => translator(strings, language), [language]);
  const f = useMemo(
    () => formats(formattingLocale(language, utility.locale), utility.currency, utility.timeZone),
    [utility, language],
  );

  const section = route.segments[0] ?? '';
  const page = pages[section];
  const titleKey: Key = section === '' ? 'nav.home' : (page?.title ?? 'title.notFound');
  useEffect(() => {
    document.title = `${t(titleKey)} · ${utility.name}`;
  }, [titleKey, utility, t]);
  useFocusHeading(route.path);
  // A page that arrives after the route changed (a lazy chunk) takes the focus itself once it is drawn.
  const firstPath = useRef(route.path);
  const moved = route.path !== firstPath.current;
  if (moved) firstPath.current = '';

  const nav = [
    { href: href('/'), label: t('nav.home'), current: section === '' },
    ...Object.entries(pages).map(([name, p]) => ({
      href: href(`/${name}`),
      label: t(p.nav),
      current: section === name,
    })),
  ];
  const pageProps: PageProps = { utility, language, t, f, route, apiBase: props.apiBase };
  return (
    <Shell
      siteName={utility.name}
      homeHref={href('/')}
      nav={nav}
      languages={utility.languages}
      language={language}
      onLanguage={setLanguage}
      texts={{ skipToContent: t('skipToContent'), language: t('language'), navigation: t('navigation') }}
    >
      {section === '' ? (
        <Home {...pageProps} />
      ) : page ? (
        <LazyPage key={section} load={page.load} props={pageProps} focusHeading={moved} />
      ) : (
        <>
          <h1>{t('title.notFound')}</h1>
          <p>{t('notFound')}</p>
        </>
      )}
    </Shell>
  );
}

function LazyPage(props: { load: () => Promise<PageModule>; props: PageProps; focusHeading: boolean }) {
  const [Page, setPage] = useState<ComponentType<PageProps>>();
  const [failed, setFailed] = useState(false);
  const { t } = props.props;
  useEffect(() => {
    let live = true;
    props
      .load()
      .then((module) => live && setPage(() => module.default))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [props.load]);
  useEffect(() => {
    if (!Page || !props.focusHeading) return;
    const heading = document.querySelector<HTMLElement>('main h1');
    heading?.setAttribute('tabindex', '-1');
    heading?.focus();
  }, [Page]);
  if (failed) return <ErrorMessage title={t('errorTitle')} message={t('loadFailed')} />;
  return Page ? <Page {...props.props} /> : <Loading label={t('loading')} />;
}
