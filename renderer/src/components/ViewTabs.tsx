import { useMayDo } from '../hooks/useMayDo.ts';
import { useNavigation } from '../state/navigation.ts';
import { VIEWS, type ViewEntry } from '../views/registry.ts';

export function ViewTabs() {
  if (VIEWS.length < 2) return null;
  return (
    <nav className="view-tabs" aria-label="Views">
      {VIEWS.map((entry) => (
        <ViewTab key={entry.id} entry={entry} />
      ))}
    </nav>
  );
}

function ViewTab({ entry }: { entry: ViewEntry }) {
  const active = useNavigation((s) => s.view === entry.id);
  const show = useNavigation((s) => s.show);
  // A view needs no permission of its own unless it exists to show one method's answer (the access log).
  const permission = useMayDo(...(entry.requires ? [entry.requires] : []));
  return (
    <button
      type="button"
      className={active ? 'view-tab active' : 'view-tab'}
      aria-current={active ? 'page' : undefined}
      data-testid={`view-tab-${entry.id}`}
      data-method={entry.requires}
      disabled={!permission.allowed}
      title={permission.reason ?? undefined}
      onClick={() => show(entry.id)}
    >
      {entry.label}
    </button>
  );
}
