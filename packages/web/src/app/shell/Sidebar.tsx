import { Link } from '@tanstack/react-router';
import { useUser } from '../auth';
import { type NavItem, navigationFor } from '../navigation';

const linkClass = 'block rounded-md px-3 py-1.5 text-sm text-slate-300 hover:bg-slate-800 hover:text-white';
const activeClass = 'bg-slate-800 font-medium text-white';

function NavLink({ item }: { item: NavItem }) {
  return (
    <Link
      to={item.to}
      className={linkClass}
      activeOptions={{ exact: true }}
      activeProps={{ className: activeClass, 'aria-current': 'page' }}
    >
      {item.label}
    </Link>
  );
}

export function Sidebar() {
  const user = useUser();
  return (
    <nav
      aria-label="Main"
      className="flex w-56 shrink-0 flex-col overflow-y-auto bg-slate-900 px-3 py-4 print:hidden"
    >
      <Link to="/" className="mb-6 flex items-center gap-2 px-3 text-lg font-semibold text-white">
        <span aria-hidden="true" className="grid size-7 place-items-center rounded-md bg-sky-600 text-sm">
          Æ
        </span>
        Aegis
      </Link>
      <ul className="flex flex-col gap-1">
        {navigationFor(user).map((item) =>
          item.children ? (
            <li key={item.label} data-testid={`nav-section-${item.label}`}>
              <p className="mt-3 px-3 pb-1 text-[11px] font-semibold uppercase tracking-wider text-slate-400">
                {item.label}
              </p>
              <ul className="flex flex-col gap-0.5">
                {item.children.map((child) => (
                  <li key={child.to}>
                    <NavLink item={child} />
                  </li>
                ))}
              </ul>
            </li>
          ) : (
            <li key={item.to}>
              <NavLink item={item} />
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}
