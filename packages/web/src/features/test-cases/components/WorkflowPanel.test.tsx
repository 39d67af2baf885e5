import type { TestAction, TestCase } from '@aegis/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDateTime, toLocalInput } from './ui';
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
      detectedAtExplicit: false,
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

  it('reads a finished test as records: text, full outcome labels, times with their zone, no inputs', () => {
    renderPanel(
      testCase({
        state: 'validated',
        outcome: 'not_detected',
        red: {
          procedure: 'Run the cradle',
          commands: 'powershell -enc …',
          targetHost: 'ws-01',
          executionStartedAt: '2026-01-01T10:05:00.000Z',
          executionEndedAt: '2026-01-01T10:09:00.000Z',
        },
        blue: {
          outcome: 'not_detected',
          outcomeExplicit: true,
          toolResults: [
            {
              tool: 'EDR',
              outcome: 'not_detected',
              firstLoggedAt: null,
              detectedAt: null,
              preventedAt: null,
              notes: '',
            },
            {
              tool: 'SIEM',
              outcome: 'logged',
              firstLoggedAt: '2026-01-01T10:06:00.000Z',
              detectedAt: null,
              preventedAt: null,
              notes: '',
            },
          ],
          detectedAt: null,
          detectedAtExplicit: false,
          firedRules: [],
          notes: 'Nothing alerted',
        },
      }),
    );
    const red = screen.getByRole('region', { name: 'Red team execution' });
    const blue = screen.getByRole('region', { name: 'Blue team evaluation' });
    for (const record of [red, blue]) {
      expect(record.querySelectorAll('input, textarea, select, fieldset')).toHaveLength(0);
      expect(within(record).queryByRole('button')).toBeNull();
      expect(record.textContent).not.toMatch(/Read-only|its turn|mm\/dd/);
    }
    expect(screen.queryByRole('form')).toBeNull();
    expect(red.textContent).toContain('Run the cradle');
    const started = red.querySelector('time');
    expect(started?.getAttribute('dateTime')).toBe('2026-01-01T10:05:00.000Z');
    expect(started?.textContent).toBe(formatDateTime('2026-01-01T10:05:00.000Z', { zone: true }));
    expect(started?.textContent).toMatch(/2026.*\d:\d\d/);
    const rows = within(blue).getAllByTestId('tool-result');
    expect(rows.map((r) => r.querySelectorAll('td')[1]?.textContent)).toEqual(['Not detected', 'Logged']);
    expect(within(blue).getByText('Not detected', { selector: 'span' })).toBeTruthy();
    expect(blue.textContent).toContain('(set by the blue team)');
  });

  it('shows text, not disabled fields, to a role that cannot edit a side in flight', () => {
    renderPanel(testCase({ state: 'red_executing' }));
    const red = screen.getByRole('region', { name: 'Red team execution' });
    expect(red.querySelectorAll('input, textarea, select')).toHaveLength(0);
    expect(red.textContent).toContain('The red team is executing this test');
    const blue = screen.getByRole('region', { name: 'Blue team evaluation' });
    expect(blue.textContent).toContain('once red hands it over');
  });

  it('lets red edit only the red form when canEditRed, with its actions after the form', () => {
    renderPanel(testCase({ canEditRed: true, allowedActions: ['submit_to_blue'] }));
    const red = screen.getByRole('form', { name: 'Red team record' });
    expect(within(red).getByRole('button', { name: 'Save red record' })).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Blue team record' })).toBeNull();
    const region = screen.getByRole('region', { name: 'Red team execution' });
    const submit = within(region).getByRole('button', { name: 'Submit to blue' });
    // The primary action comes after the form, never above it.
    expect(red.compareDocumentPosition(submit) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('prefills the execution start with the moment execution started, and sets times to now on request', () => {
    renderPanel(
      testCase({
        canEditRed: true,
        red: {
          procedure: '',
          commands: '',
          targetHost: null,
          executionStartedAt: null,
          executionEndedAt: null,
        },
        transitions: [
          {
            from: 'draft',
            to: 'red_executing',
            action: 'start_execution',
            actor: user(1, 'Rita'),
            comment: '',
            at: '2026-01-01T10:05:00.000Z',
          },
        ],
      }),
    );
    const red = screen.getByRole('form', { name: 'Red team record' });
    const start = within(red).getByLabelText('Execution started') as HTMLInputElement;
    expect(start.value).toBe(toLocalInput('2026-01-01T10:05:00.000Z'));
    const end = within(red).getByLabelText('Execution ended') as HTMLInputElement;
    expect(end.value).toBe('');
    fireEvent.click(within(red).getByRole('button', { name: 'Ended now' }));
    expect(end.value).not.toBe('');
  });

  it('opens the blue form with one tool row ready and its actions after the form', () => {
    renderPanel(
      testCase({
        state: 'blue_evaluating',
        canEditBlue: true,
        allowedActions: ['submit_for_review'],
        blue: {
          outcome: null,
          outcomeExplicit: false,
          toolResults: [],
          detectedAt: null,
          detectedAtExplicit: false,
          firedRules: [],
          notes: '',
        },
      }),
    );
    const blue = screen.getByRole('form', { name: 'Blue team record' });
    const rows = within(blue).getAllByTestId('tool-result');
    expect(rows).toHaveLength(1);
    expect((within(rows[0] as HTMLElement).getByLabelText('Tool name') as HTMLInputElement).value).toBe('');
    const outcome = within(rows[0] as HTMLElement).getByLabelText('Tool outcome') as HTMLSelectElement;
    expect([...outcome.options].map((o) => o.text)).toEqual([
      'Choose…',
      'Prevented',
      'Detected',
      'Logged',
      'Not detected',
    ]);
    // The times a tool's outcome implies appear with it.
    expect(within(rows[0] as HTMLElement).queryByLabelText('Detected at')).toBeNull();
    fireEvent.change(outcome, { target: { value: 'detected' } });
    expect(within(rows[0] as HTMLElement).getByLabelText('Detected at')).toBeTruthy();
    expect(within(rows[0] as HTMLElement).queryByLabelText('Prevented at')).toBeNull();
    const region = screen.getByRole('region', { name: 'Blue team evaluation' });
    const submit = within(region).getByRole('button', { name: 'Submit for review' });
    expect(blue.compareDocumentPosition(submit) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Red team record' })).toBeNull();
  });

  it("says the other team's record is hidden until review instead of showing empty fields", () => {
    renderPanel(testCase({ state: 'blue_evaluating', hidden: ['blue'] }));
    expect(screen.queryByRole('form', { name: 'Blue team record' })).toBeNull();
    const blue = screen.getByRole('region', { name: 'Blue team evaluation' });
    expect(within(blue).getByText(/Hidden until review/)).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Red team execution' })).toBeTruthy();
  });
});
