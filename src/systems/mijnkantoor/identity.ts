/** Mijn Kantoor: id, label and task queue. Workflow-safe (plain constants): cycle workflows import it. */
export const MIJNKANTOOR = { id: 'mijnkantoor', label: 'Mijn Kantoor', taskQueue: 'koppelwerk-mijnkantoor' } as const;
