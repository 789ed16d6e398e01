/** Typed search attributes: operators filter the Web UI by them ("KoppelingState='WAITING_REAUTH'"). Workflow-safe. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TENANT_ID = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const KOPPELING_TYPE = defineSearchAttributeKey('KoppelingType', SearchAttributeType.KEYWORD);
export const KOPPELING_STATE = defineSearchAttributeKey('KoppelingState', SearchAttributeType.KEYWORD);
export const LAST_SYNC_AT = defineSearchAttributeKey('LastSyncAt', SearchAttributeType.DATETIME);

/** A bulk jaarwerk workflow (Nmbrs ↔ Mijn Kantoor): its year and where it stands (running, waiting_retry, done). */
export const JAARWERK_YEAR = defineSearchAttributeKey('JaarwerkYear', SearchAttributeType.KEYWORD);
export const JAARWERK_STATUS = defineSearchAttributeKey('JaarwerkStatus', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [TENANT_ID, KOPPELING_TYPE, KOPPELING_STATE, LAST_SYNC_AT, JAARWERK_YEAR, JAARWERK_STATUS];
