import type { TestAction, TestCase } from '@aegis/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { actionLabels, WorkflowPanel } from './WorkflowPanel';

afterEach(cleanup);

const user = (n: number, name: string) => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  username: name.toLowerCase(),
  displayName: name,
});

function testCase(overrides: Partial<TestCase> = {}): TestCase {
  return {
    id: '10000000-0000-4000-8000-000000000001',
    title: 'PowerShell download cradle',
    state: 'red_executing',
    technique: { id: '20000000-0000-4000-8000-000000000001', attackId: 'T1059.001', name: 'PowerShell' },
    tactic: 'execution',
    platform: 'Windows',
    outcome: null,
    expectedOutcome: 'detected',
    assignedRed: user(1, 'Rita'),
    assignedBlue: user(2, 'Bob'),
    retestNumber: 0,
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    validatedAt: null,
    hidden: [],
    description: '',
    templateId: null,
    createdBy: user(1, 'Rita'),
    red: {
      procedure: 'Run the cradle',
      commands: 'powershell -enc …',
      targetHost: 'ws-01',
      executionStartedAt: '2026-01-01T10:05:00.000Z',
      executionEndedAt: null,
    },
    blue: {
      outcome: 'detected',
      outcomeExplicit: false,
      toolResults: [
        {
          tool: 'EDR',
          outcome: 'detected',
          firstLoggedAt: null,
          detectedAt: '2026-01-01T10:06:00.000Z',
          preventedAt: null,
          notes: '',
        },
      ],
      detectedAt: null,
      firedRules: [{ name: 'Suspicious PowerShell' }],
      notes: 'Seen by the EDR',
    },
    votes: [],
    transitions: [],
    chain: { rootId: '10000000-0000-4000-8000-000000000001', retestOfId: null, retestNumber: 0 },
    rejectedAt: null,
    coverageStatus: 'in_progress',
    allowedActions: [],
    canVote: false,
    canEditRed: false,
    canEditBlue: false,
    ...overrides,
  } as TestCase;
}

function renderPanel(test: TestCase) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <WorkflowPanel test={test} />
    </QueryClientProvider>,
  );
}

const allActions = Object.keys(actionLabels) as TestAction[];

describe('WorkflowPanel', () => {
  it.each<{ allowed: TestAction[] }>([
    { allowed: ['start_execution'] },
    { allowed: ['submit_to_blue'] },
    { allowed: ['submit_for_review'] },
    { allowed: ['reopen'] },
  ])('shows exactly the allowed action buttons: $allowed', ({ allowed }) => {
    renderPanel(testCase({ allowedActions: allowed }));
    const bar = screen.getByRole('region', { name: 'Workflow actions' });
    for (const action of allActions) {
      const buttons = within(bar).queryAllByRole('button', { name: actionLabels[action] });
      expect(buttons).toHaveLength(allowed.includes(action) ? 1 : 0);
    }
  });

  it('shows several actions when several are allowed, and none (no action bar) when none are', () => {
    const { unmount } = renderPanel(testCase({ allowedActions: ['submit_to_blue', 'reopen'] }));
    expect(screen.getByRole('button', { name: 'Submit to blue' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Reopen' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Start execution' })).toBeNull();
    unmount();
    renderPanel(testCase({ allowedActions: [] }));
    expect(screen.queryByRole('region', { name: 'Workflow actions' })).toBeNull();
  });

  it('makes both forms read-only when the caller may edit neither side', () => {
    renderPanel(testCase());
    const red = screen.getByRole('form', { name: 'Red team record' });
    const blue = screen.getByRole('form', { name: 'Blue team record' });
    for (const form of [red, blue]) {
      expect(within(form).getByRole('group').hasAttribute('disabled')).toBe(true);
      expect(within(form).queryByRole('button', { name: /Save/ })).toBeNull();
    }
    expect(within(blue).queryByRole('button', { name: 'Add tool result' })).toBeNull();
    expect((within(red).getByLabelText('Procedure') as HTMLTextAreaElement).value).toBe('Run the cradle');
    expect((within(blue).getByLabelText('Tool name') as HTMLInputElement).value).toBe('EDR');
  });

  it('lets red edit only the red form when canEditRed', () => {
    renderPanel(testCase({ canEditRed: true }));
    const red = screen.getByRole('form', { name: 'Red team record' });
    const blue = screen.getByRole('form', { name: 'Blue team record' });
    expect(within(red).getByRole('group').hasAttribute('disabled')).toBe(false);
    expect(within(red).getByRole('button', { name: 'Save red record' })).toBeTruthy();
    expect(within(blue).getByRole('group').hasAttribute('disabled')).toBe(true);
    expect(within(blue).queryByRole('button', { name: /Save/ })).toBeNull();
  });

  it('lets blue edit only the blue form when canEditBlue', () => {
    renderPanel(testCase({ state: 'blue_evaluating', canEditBlue: true }));
    const red = screen.getByRole('form', { name: 'Red team record' });
    const blue = screen.getByRole('form', { name: 'Blue team record' });
    expect(within(red).getByRole('group').hasAttribute('disabled')).toBe(true);
    expect(within(blue).getByRole('group').hasAttribute('disabled')).toBe(false);
    expect(within(blue).getByRole('button', { name: 'Save blue record' })).toBeTruthy();
    expect(within(blue).getByRole('button', { name: 'Add tool result' })).toBeTruthy();
  });

  it("says the other team's record is hidden until review instead of showing empty fields", () => {
    renderPanel(testCase({ state: 'blue_evaluating', hidden: ['blue'] }));
    expect(screen.queryByRole('form', { name: 'Blue team record' })).toBeNull();
    const blue = screen.getByRole('region', { name: 'Blue team evaluation' });
    expect(within(blue).getByText(/Hidden until review/)).toBeTruthy();
    expect(screen.getByRole('form', { name: 'Red team record' })).toBeTruthy();
  });
});
