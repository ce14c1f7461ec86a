/** The frame of a panel: a title bar with optional actions, and a body. */

/** Props of {@link Panel}. */
export interface PanelProps {
  title: React.ReactNode;
  /** Names the panel for tests (`panel-<area>`) and styling. */
  area: string;
  /** Buttons or fields shown at the right of the title bar. */
  actions?: React.ReactNode;
  style?: React.CSSProperties;
  /** The body scrolls by default; charts and editors fill it instead. */
  fill?: boolean;
  children: React.ReactNode;
}

/** A titled panel. */
export function Panel({ title, area, actions, style, fill, children }: PanelProps): React.JSX.Element {
  return (
    <section className={`panel panel-${area}`} style={style} aria-label={typeof title === "string" ? title : area} data-testid={`panel-${area}`}>
      <header className="panel-head">
        <h2 className="panel-title">{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className={fill ? "panel-body panel-fill" : "panel-body"}>{children}</div>
    </section>
  );
}

/** A muted message for a panel with nothing to show yet; `action` offers the next step. */
export function Empty({ children, action, testId }: { children: React.ReactNode; action?: React.ReactNode; testId?: string }): React.JSX.Element {
  return (
    <div className="empty" data-testid={testId}>
      <p>{children}</p>
      {action}
    </div>
  );
}
