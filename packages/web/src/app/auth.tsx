import type { LoginResponse, Me, Role } from '@aegis/contracts';
import { SESSION_HINT_COOKIE } from '@aegis/contracts/cookies';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { ApiError, api, setCsrfToken, setUnauthorizedHandler } from './api';

type AuthState =
  | { status: 'loading'; user: null }
  | { status: 'anonymous'; user: null }
  | { status: 'signed-in'; user: Me };

interface AuthContextValue {
  state: AuthState;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);
export const meQueryKey = ['auth', 'me'] as const;

function mayHaveSession(): boolean {
  return document.cookie.split(/;\s*/).includes(`${SESSION_HINT_COOKIE}=1`);
}

async function fetchMe(signal: AbortSignal): Promise<Me | null> {
  // Signed out: nothing to ask, and no 401 for the browser to log as an error.
  if (!mayHaveSession()) {
    setCsrfToken(null);
    return null;
  }
  try {
    const me = await api<Me>('/auth/me', { signal, expectUnauthorized: true });
    setCsrfToken(me.csrfToken);
    return me;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

/**
 * Who is signed in (`null`: nobody), asked once per page load. The router's guard awaits it before
 * any signed-in page renders; the provider below reads the same cache entry.
 */
export const meQueryOptions = queryOptions({
  queryKey: meQueryKey,
  queryFn: ({ signal }) => fetchMe(signal),
  staleTime: Number.POSITIVE_INFINITY,
  retry: 1,
});

/** Who is signed in: `GET /auth/me` on load; any later 401 signs the user out (the shell redirects). */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery(meQueryOptions);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      queryClient.setQueryData(meQueryKey, null);
    });
    return () => setUnauthorizedHandler(null);
  }, [queryClient]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const res = await api<LoginResponse>('/auth/login', {
        method: 'POST',
        body: { username, password },
        expectUnauthorized: true,
      });
      setCsrfToken(res.csrfToken);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== meQueryKey[0] });
      // `/auth/me` carries the session fields the login response lacks.
      await queryClient.fetchQuery({ ...meQueryOptions, staleTime: 0 });
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await api<unknown>('/auth/logout', { method: 'POST', body: {}, expectUnauthorized: true });
    } finally {
      setCsrfToken(null);
      queryClient.clear();
      // A full page load of the sign-in page: nothing of this user's data stays in memory, and no
      // page of the signed-in shell races the sign-in page's own navigation.
      window.location.assign('/login');
    }
  }, [queryClient]);

  const state: AuthState = useMemo(() => {
    if (me.data) return { status: 'signed-in', user: me.data };
    if (me.data === null || me.isError) return { status: 'anonymous', user: null };
    return { status: 'loading', user: null };
  }, [me.data, me.isError]);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth must be used inside <AuthProvider>');
  return ctx;
}

/** The signed-in user; only for components rendered inside the authenticated shell. */
export function useUser(): Me {
  const { state } = useAuth();
  if (state.status !== 'signed-in') throw new Error('useUser needs a signed-in user');
  return state.user;
}

export function hasRole(user: { role: Role }, roles: readonly Role[] | undefined): boolean {
  return !roles || user.role === 'admin' || roles.includes(user.role);
}

/** A role as people read it: "blue lead". */
export const roleLabel = (role: Role): string => role.replace('_', ' ');
