/** Visma Nmbrs: id, label and task queue. Workflow-safe (plain constants): cycle workflows import it. */
export const NMBRS = { id: 'nmbrs', label: 'Visma Nmbrs', taskQueue: 'koppelwerk-nmbrs' } as const;
