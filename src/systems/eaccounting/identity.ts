/** Visma eAccounting: id, label and task queue. Workflow-safe (plain constants): cycle workflows import it. */
export const EACCOUNTING = { id: 'eaccounting', label: 'Visma eAccounting', taskQueue: 'koppelwerk-eaccounting' } as const;
