// What every citizen page is given: the utility as GET /utility describes it, the page's language, its texts and
// formats, and the deployment's API origin (for the one download that cannot go through api()).
import type { Formats } from '../shared/format.ts';
import type { Route } from '../shared/router.ts';
import type { Utility } from '../shared/utility.ts';
import type { T } from './strings.ts';

export interface PageProps {
  utility: Utility;
  language: string;
  t: T;
  f: Formats;
  route: Route;
  apiBase: string;
}
