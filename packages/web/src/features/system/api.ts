import type {
  ApiToken,
  AuditLog,
  DataSource,
  Health,
  ImportRun,
  ListEnvelope,
  Role,
  SchedulerStatus,
  SourceSyncRun,
  SyncAllResponse,
  User,
} from '@aegis/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, apiErrorFrom, type Query } from '../../app/api';
import { upload } from '../../app/upload';
import { uploadContentType } from './uploads';

export const systemKeys = {
  users: (query: Query) => ['system', 'users', query] as const,
  usersAll: ['system', 'users'] as const,
  audit: (query: Query) => ['system', 'audit-logs', query] as const,
  importRuns: (query: Query) => ['system', 'import-runs', 'list', query] as const,
  importRunsAll: ['system', 'import-runs'] as const,
  importRun: (id: string) => ['system', 'import-runs', 'detail', id] as const,
  dataSources: ['system', 'data-sources'] as const,
  latestSourceRun: (id: string) => ['system', 'data-sources', 'latest-run', id] as const,
  tokens: ['auth', 'tokens'] as const,
  health: ['system', 'health'] as const,
  scheduler: ['system', 'scheduler'] as const,
};

/** Runs that are still moving: their views poll every second. */
export const isActive = (status: string | undefined): boolean => status === 'queued' || status === 'running';
const POLL_MS = 1000;
/** The status page refreshes this often. */
export const STATUS_POLL_MS = 10_000;

/** A file to upload, with the progress callback and the abort signal of its `useUploadProgress`. */
export interface UploadInput {
  file: File;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

// ------------------------------------------------------------------------------------------------ users

export function useUsers(query: Query) {
  return useQuery({
    queryKey: systemKeys.users(query),
    queryFn: ({ signal }) => api<ListEnvelope<User>>('/users', { query, signal }),
    placeholderData: (previous) => previous,
  });
}

export interface NewUser {
  username: string;
  email: string;
  displayName: string;
  role: Role;
  password: string;
}

export interface UserChanges {
  displayName?: string;
  email?: string;
  role?: Role;
  active?: boolean;
}

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: systemKeys.usersAll });
    void queryClient.invalidateQueries({ queryKey: ['system', 'audit-logs'] });
  };
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (body: NewUser) => api<User>('/users', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UserChanges }) =>
      api<User>(`/users/${id}`, { method: 'PATCH', body: changes }),
    onSuccess: invalidate,
  });
}

export function useResetPassword() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({
      id,
      password,
      mustChangePassword,
    }: {
      id: string;
      password: string;
      mustChangePassword: boolean;
    }) =>
      api<User>(`/users/${id}/reset-password`, { method: 'POST', body: { password, mustChangePassword } }),
    onSuccess: invalidate,
  });
}

export function useDeactivateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: string) => api<User>(`/users/${id}/deactivate`, { method: 'POST', body: {} }),
    onSuccess: invalidate,
  });
}

// -------------------------------------------------------------------------------------------- audit log

export function useAuditLogs(query: Query) {
  return useQuery({
    queryKey: systemKeys.audit(query),
    queryFn: ({ signal }) => api<ListEnvelope<AuditLog>>('/audit-logs', { query, signal }),
    placeholderData: (previous) => previous,
  });
}

// ------------------------------------------------------------------------------------------ import runs

export function useImportRuns(query: Query) {
  return useQuery({
    queryKey: systemKeys.importRuns(query),
    queryFn: ({ signal }) => api<ListEnvelope<ImportRun>>('/system/import-runs', { query, signal }),
    placeholderData: (previous) => previous,
    // While a run is moving, the list follows it too.
    refetchInterval: (q) => (q.state.data?.items.some((r) => isActive(r.status)) ? POLL_MS : false),
  });
}

export function useImportRun(id: string) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: systemKeys.importRun(id),
    queryFn: async ({ signal }) => {
      const run = await api<ImportRun>(`/system/import-runs/${encodeURIComponent(id)}`, { signal });
      if (!isActive(run.status))
        void queryClient.invalidateQueries({ queryKey: ['system', 'import-runs', 'list'] });
      return run;
    },
    refetchInterval: (q) => (isActive(q.state.data?.status) ? POLL_MS : false),
  });
}

export function useUploadBundle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, onProgress, signal }: UploadInput) =>
      upload<ImportRun>('/system/import-runs', file, {
        query: { filename: file.name },
        contentType: uploadContentType('bundle', file.name),
        onProgress,
        signal,
      }),
    onSuccess: (run) => {
      queryClient.setQueryData(systemKeys.importRun(run.id), run);
      void queryClient.invalidateQueries({ queryKey: systemKeys.importRunsAll });
    },
  });
}

export function useSyncMitre() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<ImportRun>('/system/sync-mitre', { method: 'POST', body: {} }),
    onSuccess: (run) => {
      queryClient.setQueryData(systemKeys.importRun(run.id), run);
      void queryClient.invalidateQueries({ queryKey: systemKeys.importRunsAll });
    },
  });
}

// ----------------------------------------------------------------------------------------- data sources

export function useDataSources() {
  return useQuery({
    queryKey: systemKeys.dataSources,
    queryFn: ({ signal }) => api<{ items: DataSource[] }>('/data-sources', { signal }).then((r) => r.items),
  });
}

/** The latest run of a source, polled every second while it is queued or running. */
export function useLatestSourceRun(id: string, enabled: boolean) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: systemKeys.latestSourceRun(id),
    enabled,
    queryFn: async ({ signal }) => {
      const page = await api<ListEnvelope<SourceSyncRun>>(`/data-sources/${id}/runs`, {
        query: { limit: 1 },
        signal,
      });
      const run = page.items[0] ?? null;
      if (run && !isActive(run.status))
        void queryClient.invalidateQueries({ queryKey: systemKeys.dataSources, exact: true });
      return run;
    },
    refetchInterval: (q) => (isActive(q.state.data?.status) ? POLL_MS : false),
  });
}

export function useSyncSource() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<SourceSyncRun>(`/data-sources/${id}/sync`, { method: 'POST', body: {} }),
    onSuccess: (run) => {
      queryClient.setQueryData(systemKeys.latestSourceRun(run.dataSourceId), run);
      void queryClient.invalidateQueries({ queryKey: systemKeys.dataSources, exact: true });
    },
  });
}

/** Uploads an archive that becomes the source's location; the server queues its sync at once. */
export function useUploadSourceArchive(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, onProgress, signal }: UploadInput) =>
      upload<SourceSyncRun>(`/data-sources/${id}/upload`, file, {
        query: { filename: file.name },
        contentType: uploadContentType('archive', file.name),
        onProgress,
        signal,
      }),
    onSuccess: (run) => {
      queryClient.setQueryData(systemKeys.latestSourceRun(run.dataSourceId), run);
      void queryClient.invalidateQueries({ queryKey: systemKeys.dataSources, exact: true });
    },
  });
}

export function useSyncAllSources() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<SyncAllResponse>('/data-sources/sync-all', { method: 'POST', body: {} }),
    onSuccess: ({ runs }) => {
      for (const run of runs) queryClient.setQueryData(systemKeys.latestSourceRun(run.dataSourceId), run);
      void queryClient.invalidateQueries({ queryKey: systemKeys.dataSources, exact: true });
    },
  });
}

export interface SourceChanges {
  locationType?: 'url' | 'folder';
  location?: string;
  enabled?: boolean;
  schedule?: string | null;
}

export function useUpdateSource() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: SourceChanges }) =>
      api<DataSource>(`/data-sources/${id}`, { method: 'PATCH', body: changes }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: systemKeys.dataSources, exact: true }),
  });
}

// --------------------------------------------------------------------------------------------- status

/**
 * `GET /health` answers 503 with the same body when a check is down: that is a result to show, not a
 * failure to load, so it is read here rather than through `api()` (which throws on any non-2xx).
 */
async function fetchHealth(signal: AbortSignal): Promise<Health> {
  let res: Response;
  try {
    res = await fetch('/api/v1/health', { headers: { accept: 'application/json' }, signal });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new ApiError(0, 'network_error', 'The server cannot be reached. Check your connection and retry.');
  }
  const body: unknown = await res.json().catch(() => null);
  if ((res.ok || res.status === 503) && typeof body === 'object' && body !== null && 'checks' in body)
    return body as Health;
  throw apiErrorFrom(res.status, body, res.statusText);
}

export function useHealth() {
  return useQuery({
    queryKey: systemKeys.health,
    queryFn: ({ signal }) => fetchHealth(signal),
    refetchInterval: STATUS_POLL_MS,
  });
}

export function useScheduler() {
  return useQuery({
    queryKey: systemKeys.scheduler,
    queryFn: ({ signal }) => api<SchedulerStatus>('/system/scheduler', { signal }),
    refetchInterval: STATUS_POLL_MS,
  });
}

// ------------------------------------------------------------------------------------------- API tokens

export type CreatedApiToken = ApiToken & { token: string };

export function useApiTokens() {
  return useQuery({
    queryKey: systemKeys.tokens,
    queryFn: ({ signal }) => api<ListEnvelope<ApiToken>>('/auth/tokens', { signal }).then((r) => r.items),
  });
}

export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; expiresInDays: number }) =>
      api<CreatedApiToken>('/auth/tokens', { method: 'POST', body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: systemKeys.tokens }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<ApiToken>(`/auth/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: systemKeys.tokens }),
  });
}
