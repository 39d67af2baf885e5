import type { TestCase } from '@aegis/contracts';
import { BlueForm, BlueRecordView } from './BlueRecord';
import { RedForm, RedRecordView } from './RedRecord';
import { ActionBar, SIDE_ACTIONS } from './records';
import { Card, HIDDEN_UNTIL_REVIEW } from './ui';

export { actionLabels } from './records';

/**
 * The workflow of one test: the red and the blue record — a form for whoever may edit it now, with
 * that side's actions under it; text for everyone else — then any other action the caller may take.
 */
export function WorkflowPanel({ test }: { test: TestCase }) {
  const red = test.canEditRed ? test.allowedActions.filter((a) => SIDE_ACTIONS.red.includes(a)) : [];
  const blue = test.canEditBlue ? test.allowedActions.filter((a) => SIDE_ACTIONS.blue.includes(a)) : [];
  const others = test.allowedActions.filter((a) => !red.includes(a) && !blue.includes(a));
  return (
    <div className="flex flex-col gap-4">
      {test.hidden.includes('red') ? (
        <HiddenRecord test={test} side="red" />
      ) : test.canEditRed ? (
        <RedForm key={`red-${test.id}-${test.state}`} test={test} actions={red} />
      ) : (
        <RedRecordView test={test} />
      )}
      {test.hidden.includes('blue') ? (
        <HiddenRecord test={test} side="blue" />
      ) : test.canEditBlue ? (
        <BlueForm key={`blue-${test.id}-${test.state}`} test={test} actions={blue} />
      ) : (
        <BlueRecordView test={test} />
      )}
      {others.length > 0 && <ActionBar test={test} actions={others} />}
    </div>
  );
}

/** The other team's record while the test is in flight: said in words, not shown as empty fields. */
function HiddenRecord({ test, side }: { test: TestCase; side: 'red' | 'blue' }) {
  const title = side === 'red' ? 'Red team execution' : 'Blue team evaluation';
  return (
    <Card title={title} labelId={`${side}-${test.id}`}>
      <p className="text-sm text-slate-600">
        <strong>{HIDDEN_UNTIL_REVIEW}.</strong> Each team works without seeing the other's record; it appears
        here once the leads have reviewed the test.
        {side === 'red' && test.red.targetHost && ` Target host: ${test.red.targetHost}.`}
      </p>
    </Card>
  );
}
