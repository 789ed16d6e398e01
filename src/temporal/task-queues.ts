/**
 * One task queue for workflows and store activities, and one per external system: each system's
 * rate limit is then a property of its queue (maxTaskQueueActivitiesPerSecond), not of a tenant.
 * Workflow-safe (plain constants).
 */
export const TASK_QUEUES = {
  workflows: 'koppelwerk',
  nmbrs: 'koppelwerk-nmbrs',
  eboekhouden: 'koppelwerk-eboekhouden',
  werkbonapp: 'koppelwerk-werkbonapp',
} as const;

export type TaskQueueName = keyof typeof TASK_QUEUES;
