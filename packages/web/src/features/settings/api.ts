import type { Me } from '@aegis/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from '../../app/api';
import { meQueryKey } from '../../app/auth';

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

/** `changed`: this session goes on (the others ended); `signed-out`: the server ended this one too. */
export type ChangePasswordOutcome = 'changed' | 'signed-out';

/**
 * Changes the signed-in user's password, then asks who is signed in: the server keeps the session
 * that made the change, but if it ended it anyway the page says so instead of a bare redirect. Both
 * calls expect a 401 so the shell does not sign the user out before the page has explained why.
 */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ChangePasswordInput): Promise<ChangePasswordOutcome> => {
      await api<void>('/auth/change-password', { method: 'POST', body, expectUnauthorized: true });
      try {
        const me = await api<Me>('/auth/me', { expectUnauthorized: true });
        setCsrfToken(me.csrfToken);
        queryClient.setQueryData(meQueryKey, me);
        return 'changed';
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return 'signed-out';
        // The password did change; only the follow-up read failed.
        return 'changed';
      }
    },
  });
}
