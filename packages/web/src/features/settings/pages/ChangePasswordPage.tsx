import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ApiError, describeError, fieldErrors } from '../../../app/api';
import { useAuth, useUser } from '../../../app/auth';
import { primaryButton } from '../../../components/buttons';
import { ErrorMessage, PageHeader } from '../../../components/Feedback';
import { PasswordRules } from '../../../components/PasswordRules';
import { inputClass } from '../../../components/SearchField';
import { Card } from '../../test-cases/components/ui';
import { useChangePassword } from '../api';

export function ChangePasswordPage() {
  const user = useUser();
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const rulesId = useId();

  const sessionEnded =
    change.data === 'signed-out' || (change.error instanceof ApiError && change.error.status === 401);
  const errors = fieldErrors(change.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const differs = next !== confirm;
    setMismatch(differs);
    if (differs) return;
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setConfirm('');
        },
      },
    );
  };

  if (sessionEnded)
    return (
      <div className="mx-auto flex max-w-xl flex-col gap-4">
        <PageHeader title="Change password" />
        <SessionEnded changed={change.data === 'signed-out'} />
      </div>
    );

  return (
    <div className="mx-auto flex max-w-xl flex-col gap-4">
      <PageHeader title="Change password" />
      {user.mustChangePassword && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          Your password was set by an administrator: choose your own now.
        </p>
      )}
      <Card title={`Password of ${user.username}`}>
        <form onSubmit={onSubmit} noValidate aria-label="Change password" className="flex flex-col gap-4">
          <PasswordField
            label="Current password"
            autoComplete="current-password"
            value={current}
            onChange={setCurrent}
            error={errors.currentPassword}
          />
          <PasswordField
            label="New password"
            autoComplete="new-password"
            value={next}
            onChange={setNext}
            error={errors.newPassword}
            describedBy={rulesId}
          >
            <PasswordRules password={next} id={rulesId} />
          </PasswordField>
          <PasswordField
            label="Confirm new password"
            autoComplete="new-password"
            value={confirm}
            onChange={(v) => {
              setConfirm(v);
              if (mismatch && v === next) setMismatch(false);
            }}
            error={mismatch ? 'does not match the new password' : undefined}
          />
          <p className="text-xs text-slate-500">
            Changing your password signs you out everywhere else (other browsers and devices); this session
            stays signed in.
          </p>
          {change.isError && Object.keys(errors).length === 0 && (
            <ErrorMessage title="The password was not changed." message={describeError(change.error)} />
          )}
          <p role="status" className="min-h-5 text-sm font-medium text-emerald-700">
            {change.data === 'changed' && 'Your password was changed. Your other sessions were signed out.'}
          </p>
          <div>
            <button type="submit" className={primaryButton} disabled={change.isPending}>
              {change.isPending ? 'Changing…' : 'Change password'}
            </button>
          </div>
        </form>
      </Card>
    </div>
  );
}

function PasswordField({
  label,
  value,
  onChange,
  autoComplete,
  error,
  describedBy,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: string;
  error?: string;
  describedBy?: string;
  children?: ReactNode;
}) {
  const id = useId();
  const errorId = useId();
  return (
    <div className="flex flex-col gap-1 text-sm">
      <label htmlFor={id} className="font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        type="password"
        autoComplete={autoComplete}
        className={inputClass}
        value={value}
        aria-invalid={Boolean(error)}
        aria-describedby={[error ? errorId : null, describedBy].filter(Boolean).join(' ') || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <span id={errorId} className="text-xs text-red-700">
          {error}
        </span>
      )}
      {children}
    </div>
  );
}

/** The server ended this session: say what happened to the password, then go to the sign-in page. */
function SessionEnded({ changed }: { changed: boolean }) {
  const { signOut } = useAuth();
  const goToSignIn = async () => {
    await signOut().catch(() => window.location.assign('/login'));
  };
  return (
    <div
      role="alert"
      className="flex flex-col gap-3 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm"
    >
      <p className="font-medium text-amber-900">
        {changed
          ? 'Your password was changed, and the server ended this session.'
          : 'Your session ended before the password could be changed.'}
      </p>
      <p className="text-amber-900">
        {changed ? 'Sign in again with your new password.' : 'Sign in again and retry.'}
      </p>
      <div>
        <button type="button" className={primaryButton} onClick={() => void goToSignIn()}>
          Go to sign-in
        </button>
      </div>
    </div>
  );
}
