/** e-Boekhouden.nl: id, label and task queue. Workflow-safe (plain constants): cycle workflows import it. */
export const EBOEKHOUDEN = { id: 'eboekhouden', label: 'e-Boekhouden.nl', taskQueue: 'koppelwerk-eboekhouden' } as const;
