export function QueueColumns() {
  return (
    <div className="qgrid queue-head" role="row">
      <span role="columnheader">ID</span>
      <span role="columnheader">Subject</span>
      <span role="columnheader">Status</span>
      <span role="columnheader">Priority</span>
      <span role="columnheader">Category</span>
      <span role="columnheader">Channel</span>
      <span role="columnheader" title="Resolved by">Resolved</span>
      <span role="columnheader">Created (UTC)</span>
      <span role="columnheader" title="Reopens · escalated · CSAT">Outcome</span>
    </div>
  );
}
