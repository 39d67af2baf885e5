import { EmptyState, PageHeader } from './Feedback';

/** A page of the navigation whose screen lands in a later slice. */
export function Placeholder({ title }: { title: string }) {
  return (
    <div>
      <PageHeader title={title} />
      <EmptyState>This page is not built yet.</EmptyState>
    </div>
  );
}
