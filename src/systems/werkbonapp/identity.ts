/** WerkbonApp: id, label and task queue. Workflow-safe (plain constants): cycle workflows import it. */
export const WERKBONAPP = { id: 'werkbonapp', label: 'WerkbonApp', taskQueue: 'koppelwerk-werkbonapp' } as const;
