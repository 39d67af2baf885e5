import type { AttackRelease, Tactic } from '@aegis/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { attackKeys } from '../api';
import { NotInRelease } from './NotInRelease';
import { TacticNames } from './TacticNames';

afterEach(cleanup);

const tactic = (shortname: string, name: string) => ({ shortname, name }) as Tactic;

/** The release's answers already in the cache, as after the first page that asked. */
function withCache(children: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(attackKeys.tactics, [
    tactic('credential-access', 'Credential Access'),
    tactic('defense-evasion', 'Defense Evasion'),
  ]);
  client.setQueryData<AttackRelease>(attackKeys.release, {
    domain: 'enterprise-attack',
    release: '18.1',
    loadedAt: '2026-12-01T00:00:00.000Z',
  });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

describe('tactics and ids as the loaded release names them', () => {
  it('shows tactic names, not slugs; an unknown slug as itself; nothing as a dash', () => {
    render(withCache(<TacticNames shortnames={['credential-access', 'defense-evasion', 'made-up']} />));
    expect(screen.getByTestId('tactic-names').textContent).toBe(
      'Credential Access, Defense Evasion, made-up',
    );
    expect(screen.getByTitle('credential-access').textContent).toBe('Credential Access');
    cleanup();
    render(withCache(<TacticNames shortnames={[]} empty="no tactic" />));
    expect(screen.getByText('no tactic')).toBeTruthy();
  });

  it('says which ids the loaded release lacks, and why and what to do on demand', () => {
    render(withCache(<NotInRelease attackIds={['T1234']} />));
    const summary = screen.getByText('T1234 is not in ATT&CK 18.1 loaded here');
    fireEvent.click(summary);
    expect(screen.getByText(/An admin can load the newer release/)).toBeTruthy();
    cleanup();
    const { container } = render(withCache(<NotInRelease attackIds={[]} />));
    expect(container.textContent).toBe('');
  });
});
