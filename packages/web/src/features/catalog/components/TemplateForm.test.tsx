import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../app/api';
import { emptyDraft, type TemplateDraft } from '../templateForm';
import { TemplateForm } from './TemplateForm';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function renderForm({
  initial = emptyDraft(),
  error = null,
  onSubmit = vi.fn(),
}: {
  initial?: TemplateDraft;
  error?: unknown;
  onSubmit?: (d: TemplateDraft) => void;
} = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const ui = (err: unknown) => (
    <QueryClientProvider client={client}>
      <TemplateForm
        initial={initial}
        submitLabel="Create template"
        pendingLabel="Creating…"
        pending={false}
        error={err}
        onSubmit={onSubmit}
        cancel={<a href="/catalog">Cancel</a>}
        platforms={['iaas:aws']}
        tactics={[{ value: 'execution', label: 'Execution' }]}
      />
    </QueryClientProvider>
  );
  const view = render(ui(error));
  return { ...view, onSubmit, setError: (err: unknown) => view.rerender(ui(err)) };
}

const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Create template' }));

describe('TemplateForm', () => {
  it('explains what is missing under each field and focuses the first, without sending', () => {
    const { onSubmit } = renderForm();
    submit();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Give the template a name.')).toBeTruthy();
    expect(screen.getByText('Choose at least one ATT&CK technique.')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('2 fields need attention.');
    expect(document.activeElement).toBe(screen.getByLabelText(/^Name/));
    expect(screen.getByLabelText(/^Name/).getAttribute('aria-invalid')).toBe('true');

    // Once attempted, the messages follow the edits.
    fireEvent.change(screen.getByLabelText(/^Name/), { target: { value: 'Whoami' } });
    expect(screen.queryByText('Give the template a name.')).toBeNull();
    expect(screen.getByRole('alert').textContent).toBe('One field needs attention.');
  });

  it('hands a valid draft over, with the rows and choices the user made', () => {
    const { onSubmit } = renderForm({ initial: emptyDraft('T1033') });
    fireEvent.change(screen.getByLabelText(/^Name/), { target: { value: 'Whoami' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'linux' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'iaas:aws' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Execution' }));
    fireEvent.change(screen.getByLabelText(/^Executor/), { target: { value: 'sh' } });
    fireEvent.change(screen.getByLabelText(/^Command/), { target: { value: 'whoami #{flag}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add argument' }));
    const row = screen.getByTestId('argument-row');
    fireEvent.change(within(row).getByLabelText(/^Argument name/), { target: { value: 'flag' } });
    fireEvent.change(within(row).getByLabelText(/^Default value/), { target: { value: '-a' } });
    submit();

    expect(onSubmit).toHaveBeenCalledTimes(1);
    const draft = vi.mocked(onSubmit).mock.calls[0]?.[0] as TemplateDraft;
    expect(draft).toMatchObject({
      name: 'Whoami',
      techniques: [{ attackId: 'T1033' }],
      platforms: ['linux', 'iaas:aws'],
      tactics: ['execution'],
      executor: 'sh',
      command: 'whoami #{flag}',
    });
    expect(draft.inputArguments).toMatchObject([{ name: 'flag', type: 'string', default: '-a' }]);
  });

  it('removes a row it added', () => {
    renderForm();
    fireEvent.click(screen.getByRole('button', { name: 'Add dependency' }));
    expect(screen.getAllByTestId('dependency-row')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Remove dependency 1' }));
    expect(screen.queryByTestId('dependency-row')).toBeNull();
    expect(screen.getByText('No dependency.')).toBeTruthy();
  });

  it("shows the server's field issues under their fields until that field is edited", () => {
    const { setError } = renderForm({ initial: { ...emptyDraft('T9999'), name: 'Unknown technique' } });
    submit();
    setError(
      new ApiError(400, 'validation_error', 'Invalid request', {
        issues: [{ path: 'body.techniques', message: 'no live technique T9999 (revoked or unknown)' }],
      }),
    );
    const picker = screen.getByRole('combobox', { name: 'Techniques' });
    expect(screen.getByText('no live technique T9999 (revoked or unknown)')).toBeTruthy();
    expect(picker.getAttribute('aria-invalid')).toBe('true');
    expect(picker.getAttribute('aria-describedby')).toContain(
      screen.getByText('no live technique T9999 (revoked or unknown)').id,
    );

    // Editing another field keeps it; removing the technique answers it.
    fireEvent.change(screen.getByLabelText(/^Name/), { target: { value: 'Still unknown' } });
    expect(screen.getByText('no live technique T9999 (revoked or unknown)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove T9999' }));
    expect(screen.queryByText('no live technique T9999 (revoked or unknown)')).toBeNull();
  });

  it('puts errors without fields (a conflict, the network) above the buttons in words', () => {
    const { setError } = renderForm({ initial: { ...emptyDraft('T1033'), name: 'Whoami' } });
    submit();
    setError(new ApiError(409, 'conflict', 'Template Whoami comes from lolbas and is replaced on each sync'));
    const alert = screen.getAllByRole('alert').find((a) => a.textContent?.includes('not saved'));
    expect(alert?.textContent).toContain('Template Whoami comes from lolbas and is replaced on each sync');
  });
});
