/** The LIVE and PAPER marks: live things carry a red LIVE badge (class `live-badge`), paper ones a muted PAPER one. */

/** The mark of a live (real money) or paper thing. */
export function ModeBadge({ live, testId }: { live: boolean; testId?: string }): React.JSX.Element {
  return (
    <span className={live ? "live-badge" : "paper-badge"} data-testid={testId} title={live ? "Real orders on a venue account" : "Simulated orders on a paper account"}>
      {live ? "LIVE" : "PAPER"}
    </span>
  );
}
