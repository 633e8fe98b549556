// Loading what belongs to the signed-in account: one GET with the token, and a token the API no longer takes ends
// the session (the page asks to sign in again).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { type AccountSession, isSessionOver } from './session.ts';
import { explain, type T } from './strings.ts';

export interface Loaded<V> {
  data?: V;
  error?: string;
  reload: () => void;
}

export function useAccountData<V>(
  t: T,
  session: AccountSession,
  path: string,
  onSessionOver: () => void,
  language: string,
): Loaded<V> {
  const [data, setData] = useState<V>();
  const [error, setError] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(undefined);
    api<V>(path, { token: session.token })
      .then((answer) => live && setData(answer))
      .catch((e) => {
        if (!live) return;
        if (isSessionOver(e)) onSessionOver();
        else setError(explain(t, e));
      });
    return () => {
      live = false;
    };
  }, [path, session.token, attempt, language]);
  return { data, error, reload: () => setAttempt((n) => n + 1) };
}
