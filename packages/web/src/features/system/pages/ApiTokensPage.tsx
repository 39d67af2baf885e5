import type { ApiToken } from '@aegis/contracts';
import { type FormEvent, useState } from 'react';
import { describeError, fieldErrors } from '../../../app/api';
import { useUser } from '../../../app/auth';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import {
  Card,
  Field,
  formatDateTime,
  inputClass,
  primaryButton,
  secondaryButton,
} from '../../test-cases/components/ui';
import { type CreatedApiToken, useApiTokens, useCreateApiToken, useRevokeApiToken } from '../api';

export function tokenState(token: ApiToken, now = Date.now()): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  return new Date(token.expiresAt).getTime() <= now ? 'expired' : 'active';
}

export function ApiTokensPage() {
  const user = useUser();
  const tokens = useApiTokens();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4">
      <PageHeader title="API tokens" />
      <p className="text-sm text-slate-600">
        Personal tokens let scripts call the API as you ({user.username}), with your role. Send one as{' '}
        <code className="font-mono text-xs">Authorization: Bearer aegis_pat_…</code>.
      </p>
      {created && <NewTokenSecret token={created} onDismiss={() => setCreated(null)} />}
      {user.authMethod === 'session' ? (
        <CreateTokenForm onCreated={setCreated} />
      ) : (
        <ErrorMessage message="Tokens can only be created from a signed-in browser session." />
      )}

      {tokens.isPending ? (
        <Spinner label="Loading your tokens…" />
      ) : tokens.isError ? (
        <ErrorMessage
          title="Your tokens could not be loaded."
          message={describeError(tokens.error)}
          onRetry={() => void tokens.refetch()}
        />
      ) : tokens.data.length === 0 ? (
        <EmptyState>You have no API token.</EmptyState>
      ) : (
        <TokenTable tokens={tokens.data} />
      )}
    </div>
  );
}

function NewTokenSecret({ token, onDismiss }: { token: CreatedApiToken; onDismiss: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <section
      aria-labelledby="new-token-heading"
      className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-4"
    >
      <h2 id="new-token-heading" className="text-sm font-semibold text-amber-900">
        Token “{token.name}” created
      </h2>
      <p role="alert" className="text-sm text-amber-900">
        Copy it now: this is the only time it is shown. Aegis keeps only a hash of it.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <input
          readOnly
          aria-label="Your new token"
          data-testid="token-secret"
          value={token.token}
          onFocus={(e) => e.currentTarget.select()}
          className={`${inputClass} max-w-xl flex-1 font-mono`}
        />
        <button type="button" className={secondaryButton} onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" className={secondaryButton} onClick={onDismiss}>
          Done
        </button>
      </div>
      <p aria-live="polite" className="text-xs text-amber-900">
        {copied === 'yes' && 'Copied to the clipboard.'}
        {copied === 'failed' && 'The clipboard is not available here: select the token and copy it by hand.'}
      </p>
    </section>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const create = useCreateApiToken();
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const errors = fieldErrors(create.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name, expiresInDays: Number(days) },
      {
        onSuccess: (token) => {
          setName('');
          onCreated(token);
        },
      },
    );
  };

  return (
    <Card title="New token">
      <form
        onSubmit={onSubmit}
        noValidate
        aria-label="New API token"
        className="flex flex-wrap items-start gap-3"
      >
        <Field label="Name" error={errors.name} className="min-w-64 flex-1">
          <input
            className={inputClass}
            value={name}
            placeholder="SIEM export"
            aria-invalid={Boolean(errors.name)}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        <Field label="Expires in (days)" error={errors.expiresInDays}>
          <input
            type="number"
            min={1}
            max={366}
            className={`${inputClass} w-32`}
            value={days}
            aria-invalid={Boolean(errors.expiresInDays)}
            onChange={(e) => setDays(e.target.value)}
          />
        </Field>
        <div className="pt-6">
          <button type="submit" className={primaryButton} disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
        </div>
        {create.isError && Object.keys(errors).length === 0 && (
          <div className="basis-full">
            <ErrorMessage message={describeError(create.error)} />
          </div>
        )}
      </form>
    </Card>
  );
}

function TokenTable({ tokens }: { tokens: ApiToken[] }) {
  const revoke = useRevokeApiToken();
  const [confirming, setConfirming] = useState<string | null>(null);

  return (
    <div className="flex flex-col gap-2">
      {revoke.isError && (
        <ErrorMessage title="The token could not be revoked." message={describeError(revoke.error)} />
      )}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs text-slate-500">
            <tr>
              <th className="px-3 py-2 font-medium">Name</th>
              <th className="px-3 py-2 font-medium">Prefix</th>
              <th className="px-3 py-2 font-medium">Created</th>
              <th className="px-3 py-2 font-medium">Expires</th>
              <th className="px-3 py-2 font-medium">Last used</th>
              <th className="px-3 py-2 font-medium">State</th>
              <th className="px-3 py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => {
              const state = tokenState(t);
              return (
                <tr key={t.id} data-testid="token-row" className="border-t border-slate-100">
                  <td className="px-3 py-2 font-medium">{t.name}</td>
                  <td className="px-3 py-2 font-mono text-xs">{t.prefix}…</td>
                  <td className="px-3 py-2 text-slate-500">{formatDateTime(t.createdAt)}</td>
                  <td className="px-3 py-2 text-slate-500">{formatDateTime(t.expiresAt)}</td>
                  <td className="px-3 py-2 text-slate-500">{formatDateTime(t.lastUsedAt)}</td>
                  <td className="px-3 py-2" data-testid="token-state">
                    {state === 'active' ? (
                      <span className="text-emerald-700">Active</span>
                    ) : state === 'revoked' ? (
                      <span className="text-slate-500">Revoked {formatDateTime(t.revokedAt)}</span>
                    ) : (
                      <span className="text-slate-500">Expired</span>
                    )}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-right">
                    {state === 'active' &&
                      (confirming === t.id ? (
                        <span className="inline-flex gap-2">
                          <button
                            type="button"
                            className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60"
                            disabled={revoke.isPending}
                            onClick={() => revoke.mutate(t.id, { onSettled: () => setConfirming(null) })}
                          >
                            Confirm revoke
                          </button>
                          <button
                            type="button"
                            className={secondaryButton}
                            onClick={() => setConfirming(null)}
                          >
                            Cancel
                          </button>
                        </span>
                      ) : (
                        <button
                          type="button"
                          className={secondaryButton}
                          aria-label={`Revoke ${t.name}`}
                          onClick={() => setConfirming(t.id)}
                        >
                          Revoke
                        </button>
                      ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
