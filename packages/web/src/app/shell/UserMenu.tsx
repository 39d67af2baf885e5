import { Link } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState } from 'react';
import { describeError } from '../api';
import { useAuth, useUser } from '../auth';

export function UserMenu() {
  const user = useUser();
  const { signOut } = useAuth();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node))
        setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const onSignOut = async () => {
    try {
      await signOut(); // ends on the sign-in page
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        className="flex items-center gap-2 rounded-md px-2 py-1 hover:bg-slate-100"
      >
        <span
          aria-hidden="true"
          className="grid size-8 place-items-center rounded-full bg-sky-100 text-sm font-semibold text-sky-800"
        >
          {user.displayName.slice(0, 1).toUpperCase()}
        </span>
        <span className="text-left leading-tight">
          <span className="block text-sm font-medium text-slate-800">{user.displayName}</span>
          <span className="block text-xs text-slate-500">{user.role.replace('_', ' ')}</span>
        </span>
      </button>
      {open && (
        <div
          id={menuId}
          className="absolute right-0 z-30 mt-2 w-56 rounded-lg border border-slate-200 bg-white py-1 shadow-lg"
        >
          <p className="border-b border-slate-100 px-3 py-2 text-xs text-slate-500">
            Signed in as <span className="font-medium text-slate-700">{user.username}</span>
          </p>
          <Link
            to="/settings/password"
            onClick={() => setOpen(false)}
            className="flex items-center justify-between px-3 py-2 text-sm text-slate-700 hover:bg-slate-50"
          >
            Change password
            {user.mustChangePassword && (
              <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">
                required
              </span>
            )}
          </Link>
          <button
            type="button"
            onClick={() => void onSignOut()}
            className="block w-full px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-50"
          >
            Sign out
          </button>
          {error && <p className="px-3 pb-2 text-xs text-red-700">{error}</p>}
        </div>
      )}
    </div>
  );
}
