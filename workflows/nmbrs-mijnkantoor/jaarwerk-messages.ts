/** Messages of the bulk jaarwerk workflow, shared with the admin API (workflow-safe: no Node built-ins). */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface JaarwerkInput {
  tenantId: string;
  koppelingId: string;
  requestId: string;
  year: number;
  relations: 'all' | string[];
}

export interface JaarwerkRelationProgress {
  relation: string;
  customerId?: string;
  customerName?: string;
  companyId?: number;
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  uploaded: number;
  already: number;
  attempts: number;
  reason?: string;
  missingRights?: string[];
}

export interface JaarwerkProgress {
  requestId: string;
  year: number;
  /** running: relations in progress; waiting_retry: some failed, a retry (POST /jaarwerk/:id/retry) runs them again; done: nothing left. */
  status: 'resolving' | 'running' | 'waiting_retry' | 'done';
  total: number;
  done: number;
  failed: number;
  skipped: number;
  pending: number;
  uploaded: number;
  /** Most relations in progress at once (bounded by the koppeling's jaarwerkConcurrency). */
  peakConcurrency: number;
  relations: JaarwerkRelationProgress[];
}

export const jaarwerkProgressQuery = defineQuery<JaarwerkProgress>('jaarwerkProgress');
/** Run the failed relations again (after the missing right is switched on). */
export const jaarwerkRetrySignal = defineSignal('jaarwerkRetry');

export const jaarwerkWorkflowId = (tenantId: string, requestId: string) => `jaarwerk/${tenantId}/${requestId}`;
