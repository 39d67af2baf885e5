import type { Outcome } from '@aegis/contracts';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { describeError, fieldErrors } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { ErrorMessage, PageHeader } from '../../../components/Feedback';
import { useCreateTest } from '../api';
import { Field, inputClass, outcomeLabel, outcomes, primaryButton } from '../components/ui';
import { CREATOR_ROLES } from './TestsListPage';

const platforms = [
  'Windows',
  'Linux',
  'macOS',
  'Containers',
  'IaaS',
  'SaaS',
  'Office Suite',
  'Identity Provider',
  'Network Devices',
  'ESXi',
];

export function CreateTestPage() {
  const user = useUser();
  const search = useSearch({ from: '/app/tests/new' });
  const navigate = useNavigate();
  const create = useCreateTest();
  const [technique, setTechnique] = useState(search.technique ?? '');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [platform, setPlatform] = useState('');
  const [expected, setExpected] = useState<Outcome | ''>('');
  const errors = fieldErrors(create.error);

  if (!hasRole(user, CREATOR_ROLES))
    return <ErrorMessage message="Only the red team and admins create tests." />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        technique: technique.trim(),
        title,
        description,
        platform: platform.trim() || undefined,
        expectedOutcome: expected || undefined,
      },
      { onSuccess: (test) => void navigate({ to: '/tests/$id', params: { id: test.id } }) },
    );
  };

  return (
    <div className="mx-auto max-w-3xl">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        {search.technique ? (
          <Link
            to="/techniques/$id"
            params={{ id: search.technique }}
            className="text-sky-700 hover:underline"
          >
            {search.technique}
          </Link>
        ) : (
          <Link to="/tests" className="text-sky-700 hover:underline">
            All tests
          </Link>
        )}
      </nav>
      <PageHeader title="New test" />
      <form
        onSubmit={onSubmit}
        noValidate
        aria-label="New test"
        className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      >
        <div className="grid gap-4 md:grid-cols-3">
          <Field label="Technique (ATT&CK id)" error={errors.technique}>
            <input
              className={`${inputClass} font-mono`}
              value={technique}
              aria-invalid={Boolean(errors.technique)}
              placeholder="T1059.001"
              onChange={(e) => setTechnique(e.target.value)}
            />
          </Field>
          <Field label="Title" error={errors.title} className="md:col-span-2">
            <input
              className={inputClass}
              value={title}
              aria-invalid={Boolean(errors.title)}
              onChange={(e) => setTitle(e.target.value)}
            />
          </Field>
        </div>
        <Field label="Description" error={errors.description}>
          <textarea
            rows={5}
            className={inputClass}
            value={description}
            aria-invalid={Boolean(errors.description)}
            onChange={(e) => setDescription(e.target.value)}
          />
        </Field>
        <div className="grid gap-4 md:grid-cols-2">
          <Field label="Platform" error={errors.platform}>
            <input
              className={inputClass}
              list="test-platforms"
              value={platform}
              aria-invalid={Boolean(errors.platform)}
              onChange={(e) => setPlatform(e.target.value)}
            />
            <datalist id="test-platforms">
              {platforms.map((p) => (
                <option key={p} value={p} />
              ))}
            </datalist>
          </Field>
          <Field label="Expected outcome" error={errors.expectedOutcome}>
            <select
              className={inputClass}
              value={expected}
              onChange={(e) => setExpected(e.target.value as Outcome | '')}
            >
              <option value="">Not set</option>
              {outcomes.map((o) => (
                <option key={o} value={o}>
                  {outcomeLabel(o)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {create.isError && Object.keys(errors).length === 0 && (
          <ErrorMessage message={describeError(create.error)} />
        )}
        <div>
          <button type="submit" disabled={create.isPending} className={primaryButton}>
            {create.isPending ? 'Creating…' : 'Create test'}
          </button>
        </div>
      </form>
    </div>
  );
}
