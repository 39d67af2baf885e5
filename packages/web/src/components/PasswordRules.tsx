import { passwordRules } from '@aegis/contracts';

/** The password policy from `@aegis/contracts`, each rule ticked live as it is met. */
export function PasswordRules({ password, id }: { password: string; id?: string }) {
  return (
    <ul id={id} aria-label="Password rules" className="mt-1 grid gap-0.5 text-xs font-normal">
      {passwordRules.map((rule) => {
        const ok = rule.test(password);
        return (
          <li key={rule.id} className={ok ? 'text-emerald-700' : 'text-slate-500'}>
            <span aria-hidden="true">{ok ? '✓' : '•'}</span> {rule.description}
            <span className="sr-only">{ok ? ' (met)' : ' (not met)'}</span>
          </li>
        );
      })}
    </ul>
  );
}
