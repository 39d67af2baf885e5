import { QueryView, type QueryViewProps } from '../../../components/QueryView';
import { Card } from '../../test-cases/components/ui';

/** A titled card showing one query's answer, with its loading, failed and empty states. */
export function QueryCard<T>({
  title,
  labelId,
  ...view
}: QueryViewProps<T> & { title: string; labelId: string }) {
  return (
    <Card title={title} labelId={labelId}>
      <QueryView {...view} />
    </Card>
  );
}
