/**
 * One task queue for workflows and store activities, and one per external system: each system's
 * rate budget is then a property of its queue (maxTaskQueueActivitiesPerSecond), not of a tenant.
 * The system queues come from the registry (src/systems). Not workflow-safe: a cycle workflow
 * imports its systems' queues from src/systems/<system>/identity.ts instead.
 */
import { SYSTEMS, type SystemId } from '../systems';

export const WORKFLOW_TASK_QUEUE = 'koppelwerk';

export const TASK_QUEUES = {
  workflows: WORKFLOW_TASK_QUEUE,
  ...(Object.fromEntries(SYSTEMS.map((s) => [s.id, s.taskQueue])) as Record<SystemId, string>),
} as const;

export type TaskQueueName = keyof typeof TASK_QUEUES;
