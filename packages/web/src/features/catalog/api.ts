import type {
  CreateTestTemplate,
  DetectionRule,
  DetectionRuleSummary,
  ListEnvelope,
  TemplateStats,
  TestCase,
  TestTemplate,
  TestTemplateSummary,
  UpdateTestTemplate,
} from '@aegis/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Query } from '../../app/api';

export const catalogKeys = {
  templates: ['catalog', 'templates'] as const,
  templateList: (query: Query) => ['catalog', 'templates', 'list', query] as const,
  templateStats: ['catalog', 'templates', 'stats'] as const,
  template: (id: string) => ['catalog', 'templates', 'detail', id] as const,
  rules: ['catalog', 'rules'] as const,
  ruleList: (query: Query) => ['catalog', 'rules', 'list', query] as const,
  rule: (id: string) => ['catalog', 'rules', 'detail', id] as const,
};

export function useTemplates(query: Query) {
  return useQuery({
    queryKey: catalogKeys.templateList(query),
    queryFn: ({ signal }) => api<ListEnvelope<TestTemplateSummary>>('/test-templates', { query, signal }),
    placeholderData: (previous) => previous,
  });
}

export function useTemplateStats() {
  return useQuery({
    queryKey: catalogKeys.templateStats,
    queryFn: ({ signal }) => api<TemplateStats>('/test-templates/stats', { signal }),
    staleTime: 60_000,
  });
}

export function useTemplate(id: string, enabled = true) {
  return useQuery({
    queryKey: catalogKeys.template(id),
    enabled,
    queryFn: ({ signal }) => api<TestTemplate>(`/test-templates/${encodeURIComponent(id)}`, { signal }),
  });
}

/** Creates a custom template; a 400 carries field issues for the form (`fieldErrors`). */
export function useCreateTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTestTemplate) => api<TestTemplate>('/test-templates', { method: 'POST', body }),
    onSuccess: (template) => {
      queryClient.setQueryData(catalogKeys.template(template.id), template);
      void queryClient.invalidateQueries({ queryKey: catalogKeys.templates });
    },
  });
}

/** Edits a custom template (synced ones answer 409: their text is upstream's). */
export function useUpdateTemplate(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateTestTemplate) =>
      api<TestTemplate>(`/test-templates/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    onSuccess: (template) => {
      queryClient.setQueryData(catalogKeys.template(template.id), template);
      void queryClient.invalidateQueries({ queryKey: catalogKeys.templates });
    },
  });
}

export function useToggleTemplate(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api<TestTemplate>(`/test-templates/${encodeURIComponent(id)}/toggle`, { method: 'POST', body: {} }),
    onSuccess: (template) => {
      queryClient.setQueryData(catalogKeys.template(template.id), template);
      void queryClient.invalidateQueries({ queryKey: catalogKeys.templates });
    },
  });
}

export function useBulkTemplates() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { ids: string[]; active: boolean }) =>
      api<{ updated: number }>('/test-templates/bulk', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: catalogKeys.templates }),
  });
}

export function useCreateTestFromTemplate(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api<TestCase>(`/test-templates/${encodeURIComponent(id)}/tests`, { method: 'POST', body: {} }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['tests'] });
      void queryClient.invalidateQueries({ queryKey: ['attack'] });
      void queryClient.invalidateQueries({ queryKey: ['dashboard'] });
    },
  });
}

export function useRules(query: Query) {
  return useQuery({
    queryKey: catalogKeys.ruleList(query),
    queryFn: ({ signal }) => api<ListEnvelope<DetectionRuleSummary>>('/detection-rules', { query, signal }),
    placeholderData: (previous) => previous,
  });
}

export function useRule(id: string) {
  return useQuery({
    queryKey: catalogKeys.rule(id),
    queryFn: ({ signal }) => api<DetectionRule>(`/detection-rules/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useSetDeployed(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deployed: boolean) =>
      api<DetectionRule>(`/detection-rules/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: { deployed },
      }),
    onSuccess: (rule) => {
      queryClient.setQueryData(catalogKeys.rule(rule.id), rule);
      void queryClient.invalidateQueries({ queryKey: catalogKeys.rules });
    },
  });
}
