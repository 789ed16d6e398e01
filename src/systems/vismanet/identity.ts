/** Visma.net ERP: id, label and task queue. Workflow-safe (plain constants): cycle workflows import it. */
export const VISMANET = { id: 'vismanet', label: 'Visma.net ERP', taskQueue: 'koppelwerk-vismanet' } as const;
