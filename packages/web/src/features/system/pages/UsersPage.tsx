import { type Role, roles, type User } from '@aegis/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ApiError, describeError, fieldErrors, type Query } from '../../../app/api';
import { roleLabel, useUser } from '../../../app/auth';
import type { Column } from '../../../components/DataTable';
import { ErrorMessage, PageHeader } from '../../../components/Feedback';
import { FilterBar, type Option, SelectField, yesNoOptions } from '../../../components/FilterBar';
import { PagedTable } from '../../../components/PagedTable';
import { PasswordRules } from '../../../components/PasswordRules';
import { SearchField } from '../../../components/SearchField';
import { useDebounced } from '../../../components/useDebounced';
import {
  Card,
  Field,
  formatDateTime,
  inputClass,
  primaryButton,
  secondaryButton,
} from '../../test-cases/components/ui';
import { useCreateUser, useDeactivateUser, useResetPassword, useUpdateUser, useUsers } from '../api';
import { AdminOnly } from '../components/ui';

const PAGE_SIZE = 25;
const roleOptions: Option<Role | ''>[] = [
  { value: '', label: 'Any role' },
  ...roles.map((r) => ({ value: r, label: roleLabel(r) })),
];
const activeOptions = yesNoOptions('Active and inactive', 'Active', 'Inactive');

/** A 409 on deactivation or demotion is the last-admin rule: say so in words. */
export function describeUserError(err: unknown): string {
  if (err instanceof ApiError && err.code === 'conflict')
    return `${err.message}. The last active admin can be neither demoted nor deactivated.`;
  return describeError(err);
}

export function UsersPage() {
  return (
    <AdminOnly>
      <Users />
    </AdminOnly>
  );
}

function Users() {
  const [text, setText] = useState('');
  const q = useDebounced(text);
  const [role, setRole] = useState<Role | ''>('');
  const [active, setActive] = useState<'' | 'true' | 'false'>('');
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const ids = { q: useId() };

  // biome-ignore lint/correctness/useExhaustiveDependencies: any filter change goes back to page 1.
  useEffect(() => setOffset(0), [q, role, active]);

  const query: Query = { q: q || undefined, role: role || undefined, active: active || undefined };
  const users = useUsers({ ...query, limit: PAGE_SIZE, offset });
  const filtered = Boolean(q || role || active);
  const columns: Column<User>[] = [
    { header: 'Username', className: 'font-mono text-xs', cell: (u) => u.username },
    { header: 'Name', cell: (u) => u.displayName },
    { header: 'Email', className: 'text-slate-600', cell: (u) => u.email },
    { header: 'Role', className: 'capitalize', cell: (u) => roleLabel(u.role) },
    {
      header: 'Status',
      cell: (u) => (
        <>
          {u.active ? (
            <span className="text-emerald-700">Active</span>
          ) : (
            <span className="text-slate-500">Inactive</span>
          )}
          {u.mustChangePassword && (
            <span className="ml-1 text-xs text-amber-700">(must change password)</span>
          )}
        </>
      ),
    },
    { header: 'Last sign-in', className: 'text-slate-500', cell: (u) => formatDateTime(u.lastLoginAt) },
    {
      header: <span className="sr-only">Actions</span>,
      className: 'text-right',
      cell: (u) => (
        <button
          type="button"
          className={secondaryButton}
          aria-label={`Edit ${u.username}`}
          onClick={() => {
            setEditing(u);
            setCreating(false);
            setNotice(null);
          }}
        >
          Edit
        </button>
      ),
    },
  ];

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <PageHeader title="Users">
        <button
          type="button"
          className={primaryButton}
          aria-expanded={creating}
          onClick={() => {
            setCreating((c) => !c);
            setEditing(null);
            setNotice(null);
          }}
        >
          {creating ? 'Close' : 'New user'}
        </button>
      </PageHeader>
      {notice && (
        <p
          role="status"
          className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-2 text-sm text-emerald-800"
        >
          {notice}
        </p>
      )}
      {creating && (
        <CreateUserForm
          onCreated={(user) => {
            setCreating(false);
            setNotice(`User ${user.username} created.`);
          }}
        />
      )}
      {editing && (
        <EditUserPanel
          key={editing.id}
          user={editing}
          onClose={() => setEditing(null)}
          onDone={(message) => setNotice(message)}
        />
      )}

      <FilterBar>
        <SearchField id={ids.q} placeholder="Username, name or email" value={text} onChange={setText} />
        <SelectField label="Role" value={role} options={roleOptions} onChange={setRole} />
        <SelectField label="Status" value={active} options={activeOptions} onChange={setActive} />
      </FilterBar>

      <PagedTable
        query={users}
        loading="Loading users…"
        failed="The users could not be loaded."
        empty={filtered ? 'No user matches these filters.' : 'No user yet.'}
        columns={columns}
        rowTestId="user-row"
        page={offset / PAGE_SIZE + 1}
        pageSize={PAGE_SIZE}
        onPage={(next) => setOffset(((next ?? 1) - 1) * PAGE_SIZE)}
      />
    </div>
  );
}

function RoleSelect({ value, onChange }: { value: Role; onChange: (role: Role) => void }) {
  return (
    <select className={inputClass} value={value} onChange={(e) => onChange(e.target.value as Role)}>
      {roles.map((r) => (
        <option key={r} value={r}>
          {roleLabel(r)}
        </option>
      ))}
    </select>
  );
}

function CreateUserForm({ onCreated }: { onCreated: (user: User) => void }) {
  const create = useCreateUser();
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const errors = fieldErrors(create.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ username, email, displayName, role, password }, { onSuccess: onCreated });
  };

  return (
    <Card title="New user">
      <form onSubmit={onSubmit} noValidate aria-label="New user" className="flex flex-col gap-4">
        <div className="grid gap-4 md:grid-cols-3">
          <Field label="Username" error={errors.username}>
            <input
              className={`${inputClass} font-mono`}
              autoComplete="off"
              value={username}
              aria-invalid={Boolean(errors.username)}
              onChange={(e) => setUsername(e.target.value)}
            />
          </Field>
          <Field label="Display name" error={errors.displayName}>
            <input
              className={inputClass}
              value={displayName}
              aria-invalid={Boolean(errors.displayName)}
              onChange={(e) => setDisplayName(e.target.value)}
            />
          </Field>
          <Field label="Email" error={errors.email}>
            <input
              type="email"
              className={inputClass}
              value={email}
              aria-invalid={Boolean(errors.email)}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
          <Field label="Role" error={errors.role}>
            <RoleSelect value={role} onChange={setRole} />
          </Field>
          <Field label="Initial password" error={errors.password} className="md:col-span-2">
            <input
              type="password"
              autoComplete="new-password"
              className={inputClass}
              value={password}
              aria-invalid={Boolean(errors.password)}
              onChange={(e) => setPassword(e.target.value)}
            />
            <PasswordRules password={password} />
          </Field>
        </div>
        {create.isError && Object.keys(errors).length === 0 && (
          <ErrorMessage message={describeError(create.error)} />
        )}
        <div>
          <button type="submit" className={primaryButton} disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create user'}
          </button>
        </div>
      </form>
    </Card>
  );
}

function EditUserPanel({
  user,
  onClose,
  onDone,
}: {
  user: User;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const me = useUser();
  const update = useUpdateUser();
  const reset = useResetPassword();
  const deactivate = useDeactivateUser();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<Role>(user.role);
  const [active, setActive] = useState(user.active);
  const [password, setPassword] = useState('');
  const [mustChange, setMustChange] = useState(true);
  const [confirming, setConfirming] = useState(false);
  const updateErrors = fieldErrors(update.error);
  const resetErrors = fieldErrors(reset.error);
  const headingId = useId();

  const onSave = (e: FormEvent) => {
    e.preventDefault();
    const changes = {
      displayName: displayName !== user.displayName ? displayName : undefined,
      role: role !== user.role ? role : undefined,
      active: active !== user.active ? active : undefined,
    };
    if (Object.values(changes).every((v) => v === undefined)) return onClose();
    update.mutate(
      { id: user.id, changes },
      {
        onSuccess: (u) => {
          onDone(`User ${u.username} updated.`);
          onClose();
        },
      },
    );
  };

  const onReset = (e: FormEvent) => {
    e.preventDefault();
    reset.mutate(
      { id: user.id, password, mustChangePassword: mustChange },
      {
        onSuccess: (u) => {
          setPassword('');
          onDone(`The password of ${u.username} was reset.`);
        },
      },
    );
  };

  return (
    <Card
      title={`Edit ${user.username}`}
      labelId={headingId}
      actions={
        <button type="button" className={secondaryButton} onClick={onClose}>
          Close
        </button>
      }
    >
      <div className="grid gap-6 lg:grid-cols-2">
        <form onSubmit={onSave} noValidate aria-label="Edit user" className="flex flex-col gap-3">
          <Field label="Display name" error={updateErrors.displayName}>
            <input
              className={inputClass}
              value={displayName}
              aria-invalid={Boolean(updateErrors.displayName)}
              onChange={(e) => setDisplayName(e.target.value)}
            />
          </Field>
          <Field label="Role" error={updateErrors.role}>
            <RoleSelect value={role} onChange={setRole} />
          </Field>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
            Active
          </label>
          {update.isError && Object.keys(updateErrors).length === 0 && (
            <ErrorMessage message={describeUserError(update.error)} />
          )}
          <div>
            <button type="submit" className={primaryButton} disabled={update.isPending}>
              {update.isPending ? 'Saving…' : 'Save changes'}
            </button>
          </div>
        </form>

        <div className="flex flex-col gap-6">
          <form onSubmit={onReset} noValidate aria-label="Reset password" className="flex flex-col gap-3">
            <Field label="New password" error={resetErrors.password}>
              <input
                type="password"
                autoComplete="new-password"
                className={inputClass}
                value={password}
                aria-invalid={Boolean(resetErrors.password)}
                onChange={(e) => setPassword(e.target.value)}
              />
              <PasswordRules password={password} />
            </Field>
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" checked={mustChange} onChange={(e) => setMustChange(e.target.checked)} />
              Ask for a new password at next sign-in
            </label>
            {reset.isError && Object.keys(resetErrors).length === 0 && (
              <ErrorMessage message={describeError(reset.error)} />
            )}
            <div>
              <button type="submit" className={secondaryButton} disabled={reset.isPending}>
                {reset.isPending ? 'Resetting…' : 'Reset password'}
              </button>
            </div>
          </form>

          {user.active && (
            <div className="flex flex-col gap-2 border-t border-slate-100 pt-4">
              <p className="text-sm text-slate-600">
                Deactivating ends {user.id === me.id ? 'your' : 'their'} sessions and API tokens at once.
              </p>
              {confirming ? (
                <div className="flex flex-wrap gap-2">
                  <button
                    type="button"
                    className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60"
                    disabled={deactivate.isPending}
                    onClick={() =>
                      deactivate.mutate(user.id, {
                        onSuccess: (u) => {
                          onDone(`User ${u.username} deactivated.`);
                          onClose();
                        },
                        onError: () => setConfirming(false),
                      })
                    }
                  >
                    {deactivate.isPending ? 'Deactivating…' : `Yes, deactivate ${user.username}`}
                  </button>
                  <button type="button" className={secondaryButton} onClick={() => setConfirming(false)}>
                    Cancel
                  </button>
                </div>
              ) : (
                <div>
                  <button type="button" className={secondaryButton} onClick={() => setConfirming(true)}>
                    Deactivate…
                  </button>
                </div>
              )}
              {deactivate.isError && <ErrorMessage message={describeUserError(deactivate.error)} />}
            </div>
          )}
        </div>
      </div>
    </Card>
  );
}
