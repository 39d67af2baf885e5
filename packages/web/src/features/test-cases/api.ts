import type {
  AssignableUsers,
  BulkTestRequest,
  BulkTestResponse,
  CreateTestCase,
  Evidence,
  EvidenceSide,
  ListEnvelope,
  Outcome,
  PendingTask,
  TestAction,
  TestCase,
  TestCaseSummary,
  TestSide,
} from '@aegis/contracts';
import { BULK_TESTS_MAX } from '@aegis/contracts/paging';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Query } from '../../app/api';
import { useInfiniteList } from '../../app/lists';
import { upload } from '../../app/upload';

export const testKeys = {
  all: ['tests'] as const,
  list: (query: Query) => ['tests', 'list', query] as const,
  pending: ['tests', 'pending'] as const,
  detail: (id: string) => ['tests', 'detail', id] as const,
  evidence: (id: string) => ['tests', 'evidence', id] as const,
  remediation: (id: string) => ['tests', 'remediation', id] as const,
  assignable: (side: TestSide) => ['users', 'assignable', side] as const,
};

export type RemediationStatus = 'open' | 'in_progress' | 'done' | 'wont_fix';
export interface RemediationStep {
  id: string;
  title: string;
  description: string;
  assignee: { id: string; username: string; displayName: string } | null;
  dueDate: string | null;
  status: RemediationStatus;
  createdAt: string;
  completedAt: string | null;
}

export interface RemediationView {
  steps: RemediationStep[];
  retest: { id: string; retestNumber: number } | null;
  retestsLeft: number;
}

export interface RedInput {
  procedure: string;
  commands: string;
  targetHost: string | null;
  executionStartedAt: string | null;
  executionEndedAt: string | null;
}

export interface ToolResultInput {
  tool: string;
  outcome: Outcome;
  firstLoggedAt: string | null;
  detectedAt: string | null;
  preventedAt: string | null;
  notes: string;
}

export interface BlueInput {
  outcome: Outcome | null;
  toolResults: ToolResultInput[];
  firedRules: { name: string }[];
  notes: string;
}

export function useTests(query: Query, enabled = true) {
  return useQuery({
    queryKey: testKeys.list(query),
    enabled,
    queryFn: ({ signal }) => api<ListEnvelope<TestCaseSummary>>('/tests', { query, signal }),
    placeholderData: (previous) => previous,
  });
}

/** Every test matching `query`, loaded page by page as the list scrolls. */
export function useTestsScroll(query: Query) {
  return useInfiniteList<TestCaseSummary>([...testKeys.all, 'scroll'], '/tests', query);
}

/** One page of my pending tasks, oldest first. */
export function usePendingTasks(offset: number, limit: number) {
  return useQuery({
    queryKey: [...testKeys.pending, { offset, limit }],
    queryFn: ({ signal }) =>
      api<ListEnvelope<PendingTask>>('/tests/pending', { query: { offset, limit }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useTest(id: string) {
  return useQuery({
    queryKey: testKeys.detail(id),
    queryFn: ({ signal }) => api<TestCase>(`/tests/${encodeURIComponent(id)}`, { signal }),
  });
}

/** After any change to a test: the test itself, lists, pending tasks and coverage (matrix, technique). */
function useInvalidateTests() {
  const queryClient = useQueryClient();
  return (updated?: TestCase) => {
    if (updated) queryClient.setQueryData(testKeys.detail(updated.id), updated);
    void queryClient.invalidateQueries({ queryKey: testKeys.all });
    void queryClient.invalidateQueries({ queryKey: ['attack'] });
    void queryClient.invalidateQueries({ queryKey: ['dashboard'] });
  };
}

export function useCreateTest() {
  const invalidate = useInvalidateTests();
  return useMutation({
    mutationFn: (body: Partial<CreateTestCase>) => api<TestCase>('/tests', { method: 'POST', body }),
    onSuccess: (test) => invalidate(test),
  });
}

/** Who can hold a side of a test (active people of that team and admins), by display name. */
export function useAssignableUsers(side: TestSide, enabled = true) {
  return useQuery({
    queryKey: testKeys.assignable(side),
    enabled,
    queryFn: ({ signal }) => api<AssignableUsers>('/users/assignable', { query: { side }, signal }),
    staleTime: 60_000,
  });
}

/** Leads and admins set a test's red or blue person (`PATCH /tests/{id}`; null frees the side). */
export function useAssignTest(id: string) {
  const invalidate = useInvalidateTests();
  return useMutation({
    mutationFn: (body: { assignedRedId?: string | null; assignedBlueId?: string | null }) =>
      api<TestCase>(`/tests/${id}`, { method: 'PATCH', body }),
    onSuccess: (test) => invalidate(test),
  });
}

/** The caller becomes the assignee of a free side of a test (`POST /tests/{id}/take`). */
export function useTakeTest(id: string) {
  const invalidate = useInvalidateTests();
  return useMutation({
    mutationFn: (side: TestSide) => api<TestCase>(`/tests/${id}/take`, { method: 'POST', body: { side } }),
    onSuccess: (test) => invalidate(test),
  });
}

/**
 * One action on many tests (`POST /tests/bulk`), sent `BULK_TESTS_MAX` at a time; the reports of
 * each request are joined into one, in the order of `ids`.
 */
export function useBulkTests() {
  const invalidate = useInvalidateTests();
  return useMutation({
    mutationFn: async (request: BulkTestRequest): Promise<BulkTestResponse> => {
      const all: BulkTestResponse = { results: [], done: 0, skipped: 0, failed: 0 };
      for (let start = 0; start < request.ids.length; start += BULK_TESTS_MAX) {
        const ids = request.ids.slice(start, start + BULK_TESTS_MAX);
        const part = await api<BulkTestResponse>('/tests/bulk', {
          method: 'POST',
          body: { ...request, ids },
        });
        all.results.push(...part.results);
        all.done += part.done;
        all.skipped += part.skipped;
        all.failed += part.failed;
      }
      return all;
    },
    onSettled: () => invalidate(),
  });
}

export function useRecordRed(id: string) {
  const invalidate = useInvalidateTests();
  return useMutation({
    mutationFn: (body: RedInput) => api<TestCase>(`/tests/${id}/red`, { method: 'PUT', body }),
    onSuccess: (test) => invalidate(test),
  });
}

export function useRecordBlue(id: string) {
  const invalidate = useInvalidateTests();
  return useMutation({
    mutationFn: (body: BlueInput) => api<TestCase>(`/tests/${id}/blue`, { method: 'PUT', body }),
    onSuccess: (test) => invalidate(test),
  });
}

export function useTransition(id: string) {
  const invalidate = useInvalidateTests();
  return useMutation({
    mutationFn: (body: { action: TestAction; comment: string }) =>
      api<TestCase>(`/tests/${id}/transitions`, { method: 'POST', body }),
    onSuccess: (test) => invalidate(test),
  });
}

export function useVote(id: string) {
  const invalidate = useInvalidateTests();
  return useMutation({
    mutationFn: (body: { decision: 'approve' | 'reject'; comment: string; side?: EvidenceSide }) =>
      api<TestCase>(`/tests/${id}/votes`, { method: 'POST', body }),
    onSuccess: (test) => invalidate(test),
  });
}

export function useEvidence(id: string) {
  return useQuery({
    queryKey: testKeys.evidence(id),
    queryFn: ({ signal }) =>
      api<ListEnvelope<Evidence>>(`/tests/${id}/evidence`, { query: { limit: 100 }, signal }),
  });
}

export function evidenceDownloadUrl(testId: string, evidenceId: string): string {
  return `/api/v1/tests/${testId}/evidence/${evidenceId}/download`;
}

/** Multipart upload (field `file`) with upload progress. */
export function uploadEvidence(
  testId: string,
  file: File,
  options: { description?: string; side?: EvidenceSide; onProgress?: (fraction: number) => void },
): Promise<Evidence> {
  const form = new FormData();
  if (options.description) form.append('description', options.description);
  if (options.side) form.append('side', options.side);
  form.append('file', file);
  return upload<Evidence>(`/tests/${testId}/evidence`, form, { onProgress: options.onProgress });
}

export function useUploadEvidence(testId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      file: File;
      description?: string;
      side?: EvidenceSide;
      onProgress?: (f: number) => void;
    }) => uploadEvidence(testId, input.file, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: testKeys.evidence(testId) }),
  });
}

export function useRemediation(id: string) {
  return useQuery({
    queryKey: testKeys.remediation(id),
    queryFn: ({ signal }) => api<RemediationView>(`/tests/${id}/remediation`, { signal }),
  });
}

export function useAddRemediationStep(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { title: string; description: string; dueDate?: string }) =>
      api<RemediationView>(`/tests/${id}/remediation`, { method: 'POST', body }),
    onSuccess: (view) => {
      queryClient.setQueryData(testKeys.remediation(id), view);
      void queryClient.invalidateQueries({ queryKey: testKeys.all });
    },
  });
}

export function useUpdateRemediationStep(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ stepId, status }: { stepId: string; status: RemediationStatus }) =>
      api<RemediationView>(`/tests/${id}/remediation/${stepId}`, { method: 'PATCH', body: { status } }),
    onSuccess: (view) => {
      queryClient.setQueryData(testKeys.remediation(id), view);
      void queryClient.invalidateQueries({ queryKey: testKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['attack'] });
    },
  });
}
