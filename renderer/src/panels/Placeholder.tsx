/** A panel frame with a title and a short note of what will live there. */

/** Props of {@link Panel}. */
export interface PanelProps {
  title: string;
  area: string;
  children: React.ReactNode;
}

/** A titled panel placed in a named grid area. */
export function Panel({ title, area, children }: PanelProps): React.JSX.Element {
  return (
    <section className="panel" style={{ gridArea: area }} aria-label={title} data-testid={`panel-${area}`}>
      <h2 className="panel-title">{title}</h2>
      <div className="panel-body">{children}</div>
    </section>
  );
}
