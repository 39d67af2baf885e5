import { QueryView } from '../../../components/QueryView';
import { ChartFrame } from '../../metrics/components/ChartFrame';
import { useSnapshotTrend } from '../api';
import { trendTable } from '../format';
import { ScoreTrendChart } from './ScoreTrendChart';

/** The organisation score at every snapshot kept, oldest first, equal and threat-weighted. */
export function ScoreTrend() {
  return (
    <QueryView
      query={useSnapshotTrend()}
      loading="Loading the trend…"
      failed="The trend could not be loaded."
      isEmpty={(t) => t.points.length === 0}
      empty="The trend starts with the first snapshot."
    >
      {(t) => {
        const table = trendTable(t.points);
        return (
          <ChartFrame
            name="trend"
            caption="Organisation score at each snapshot"
            table={table}
            filename="organisation-score-trend.csv"
          >
            <ScoreTrendChart table={table} />
          </ChartFrame>
        );
      }}
    </QueryView>
  );
}
