import { useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, describeError } from '../../../app/api';
import { useAuth } from '../../../app/auth';
import { safeRedirect } from '../redirect';

function loginError(err: unknown): string {
  if (err instanceof ApiError && err.status === 429)
    return `Too many sign-in attempts. Try again in ${err.retryAfterSeconds ?? 60} s.`;
  if (err instanceof ApiError && err.status === 401) return 'Wrong username or password.';
  return describeError(err);
}

export function LoginPage() {
  const { state, signIn } = useAuth();
  const { redirect } = useSearch({ from: '/login' });
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const previous = document.title;
    document.title = 'Sign in · Aegis';
    return () => {
      document.title = previous;
    };
  }, []);

  useEffect(() => {
    if (state.status === 'signed-in')
      void navigate({ href: safeRedirect(redirect, window.location.origin), replace: true });
  }, [state.status, redirect, navigate]);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password);
    } catch (err) {
      setError(loginError(err));
    } finally {
      setBusy(false);
    }
  };

  const input =
    'mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-sky-500';
  return (
    <main className="grid min-h-screen place-items-center bg-slate-900 px-4">
      <form
        onSubmit={onSubmit}
        className="w-full max-w-sm rounded-xl bg-white p-8 shadow-xl"
        aria-labelledby="login-title"
      >
        <div className="mb-6 flex items-center gap-2">
          <span
            aria-hidden="true"
            className="grid size-9 place-items-center rounded-md bg-sky-600 font-semibold text-white"
          >
            Æ
          </span>
          <div>
            <h1 id="login-title" className="text-lg font-semibold text-slate-900">
              Sign in to Aegis
            </h1>
            <p className="text-xs text-slate-500">Proven ATT&CK coverage</p>
          </div>
        </div>
        <label className="mb-4 block text-sm font-medium text-slate-700">
          Username or email
          <input
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            className={input}
          />
        </label>
        <label className="mb-4 block text-sm font-medium text-slate-700">
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            className={input}
          />
        </label>
        <p role="alert" className="mb-3 min-h-5 text-sm text-red-700">
          {error}
        </p>
        <button
          type="submit"
          disabled={busy}
          className="w-full rounded-md bg-sky-700 px-3 py-2 text-sm font-semibold text-white hover:bg-sky-800 disabled:opacity-60"
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
