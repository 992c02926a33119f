import { useNavigation } from '../state/navigation.ts';
import { VIEWS } from '../views/registry.ts';

export function ViewTabs() {
  const view = useNavigation((s) => s.view);
  const show = useNavigation((s) => s.show);
  if (VIEWS.length < 2) return null;
  return (
    <nav className="view-tabs" aria-label="Views">
      {VIEWS.map((entry) => (
        <button
          key={entry.id}
          type="button"
          className={entry.id === view ? 'view-tab active' : 'view-tab'}
          aria-current={entry.id === view ? 'page' : undefined}
          data-testid={`view-tab-${entry.id}`}
          onClick={() => show(entry.id)}
        >
          {entry.label}
        </button>
      ))}
    </nav>
  );
}
