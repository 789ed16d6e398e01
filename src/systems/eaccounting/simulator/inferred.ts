/**
 * INFERRED — every rule of the Visma eAccounting simulator (identity server + API v2) that the
 * public sources do not settle, in one place, each citing shared/contracts/visma.md. The simulator
 * code reads these constants and functions; to correct a guess, change it here.
 */

/** INFERRED (§2.2, Q1): HTTP status per ErrorCode. 401→4005, 429→4010 and 403→4002-module are confirmed. */
export const STATUS_OF_CODE: Readonly<Record<number, number>> = {
  2000: 400,
  3000: 404,
  3001: 400,
  3002: 400,
  4000: 409,
  4002: 403,
  4005: 401,
  4006: 403,
  4010: 429,
  4020: 400,
  4022: 400,
  4026: 400,
  4038: 400,
  5000: 500,
  6000: 400,
};

/**
 * INFERRED (§2.2 Q2, seed 002 "Resource not found: fiscalYearId"): a voucher dated in no fiscal
 * year, or an unknown fiscal-year id in a path, answers ErrorCode 3000 with this text. A voucher
 * gets HTTP 400 (a bad reference in the body), a path id 404.
 */
export const FISCAL_YEAR_NOT_FOUND_TEXT = 'ResourceNotFoundException - Resource not found: fiscalYearId';
export const VOUCHER_WITHOUT_FISCAL_YEAR_STATUS = 400;

/** INFERRED (§2.2): texts of the codes the contract names without a quoted body. */
export const TEXTS = {
  notAuthorized: 'AuthorizationException - Authorization has been denied for this request.',
  noModule: (module: string) => `ForbiddenRequestException - No access to module: ${module}`,
  noScope: 'ForbiddenRequestException - The token does not have access to the requested scopes.',
  accountNotFound: (n: number, year: string) => `AccountNotFoundException - Account ${n} does not exist in fiscal year ${year}.`,
  accountBlocked: (n: number) => `Account ${n} is blocked for manual booking.`,
  lockedPeriod: (lockedTo: string) => `VoucherDateIsInLockedPeriodException - The voucher date is in a locked period (accounting is locked to ${lockedTo}).`,
  lockedYear: 'VoucherDateIsInLockedYearException - The fiscal year of the voucher date is locked for accounting.',
  unbalanced: 'The voucher rows are not balanced: the sum of DebitAmount must equal the sum of CreditAmount.',
  overlap: 'FiscalYearOverlapException - The fiscal year overlaps an existing fiscal year.',
  endOfMonth: 'The end date of a fiscal year must be the last day of a month.',
  notFound: 'ResourceNotFoundException - Resource not found.',
  quota: (perMinute: number, seconds: number) => `API calls quota exceeded! maximum admitted ${perMinute} per Minute. Try again in ${seconds} seconds.`,
} as const;

/**
 * INFERRED (§2.2 Q3): field errors of a 2000 go in `Errors` as { Field, Message }.
 */
export const FIELD_ERRORS_IN_ERRORS = true;

/**
 * INFERRED (§2.3, Q5): the 600/min quota is a fixed window per client and endpoint (method + path
 * with ids replaced), and the 429 also carries a Retry-After header with the same seconds.
 */
export const QUOTA_PER_MINUTE = 600;
export const RETRY_AFTER_HEADER = true;

/**
 * INFERRED (§2.1, Q4): `$filter` supports `<Field> <op> <value>` joined by `and` or `or` (no
 * parentheses; `and` binds tighter), op one of eq, ne, gt, ge, lt, le (eq is confirmed, the rest is
 * the OData subset of Q4). A value is `'text'` (quote doubled inside), a number, true/false, null,
 * `datetime'…'` or a bare ISO date-time. `eq 'yyyy-MM-dd'` on a date-time field matches that day;
 * gt/lt compare date-times as instants.
 */
export const FILTER_OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;

/**
 * Which scopes reach which resource (first path segment after /v2). Contract §2.4 [C S1]: sales
 * resources take ea:sales (GET also ea:sales_readonly), terms of payment also ea:purchase. INFERRED:
 * companysettings and fiscalyears (listed as sales or accounting) take either, so the existing
 * Nmbrs → eAccounting koppeling (ea:accounting only) keeps reading them.
 */
export const SCOPES_OF_RESOURCE: Readonly<Record<string, readonly string[]>> = {
  companysettings: ['ea:accounting', 'ea:sales'],
  fiscalyears: ['ea:accounting', 'ea:sales'],
  accounts: ['ea:accounting'],
  vouchers: ['ea:accounting'],
  articles: ['ea:sales'],
  customers: ['ea:sales'],
  orders: ['ea:sales'],
  termsofpayments: ['ea:sales', 'ea:purchase'],
  units: ['ea:sales'],
};
/** A GET is also allowed with the `<scope>_readonly` variant [C S2 scope list]. */
export const READONLY_SUFFIX = '_readonly';

/** Contract §2.1 [C S1, S3]: orders also need the sales_standard module (403/4002 like api_standard). */
export const MODULE_OF_RESOURCE: Readonly<Record<string, string>> = { orders: 'sales_standard' };

/**
 * INFERRED (issue 11, seed 004 "Attributen/Kenmerken, Categorieën, Afbeeldingen worden niet
 * ondersteund"): the contract's Article model (§2.5) has no such fields. The simulator gives every
 * article these three lists (empty for a simple product) so the koppeling can report a product that
 * uses them: `ArticleLabels` (eAccounting's labels, acting as categories), `Attributes` (variant
 * attributes) and `Images`.
 */
export const ARTICLE_EXTRAS = ['ArticleLabels', 'Attributes', 'Images'] as const;

/** INFERRED (§2.5): order rows carry no VAT code in the simulator; VatAmount is this rate over the net Amount. */
export const ORDER_VAT_RATE = 0.21;

/** INFERRED: new customers count from 1001 and orders from 1 per company (CustomerNumber is a string ≤16, Number an int). */
export const FIRST_CUSTOMER_NUMBER = 1001;
export const FIRST_ORDER_NUMBER = 1;

/**
 * INFERRED (§2.5): a row on an account with IsBlockedForManualBooking, or inactive, is refused
 * with 2000 and the account in Errors (the API voucher counts as a manual voucher).
 */
export const BLOCKED_ACCOUNT_CODE = 2000;

/** INFERRED (§2.5): vouchers get numbers in series "A", counting per fiscal year from 1. */
export const VOUCHER_SERIES = 'A';

/** INFERRED (§1.1, RFC 8252 §7.3): a client may register a loopback redirect URI; any port on it matches. */
export const LOOPBACK_REDIRECT_ANY_PORT = true;

/** INFERRED (§1.1): an authorisation code lives 5 minutes, is single use. */
export const CODE_TTL_MS = 5 * 60_000;

/**
 * INFERRED (§1.1): the login and consent pages are forms on the identity host; the session is a
 * cookie; consent is asked on every authorisation (each one picks a company).
 */
export const SESSION_COOKIE = 'idsrv.session';

/**
 * INFERRED (seed 002, third error; contract §3.7): the Visma.net message about an empty Ledger,
 * which Nmbrs shows for its Visma integration. The simulator answers it on a voucher post when the
 * company's general-ledger settings are marked incomplete (control API).
 */
export const LEDGER_EMPTY_TEXT = (vismaId: string) =>
  `VismaId: ${vismaId}. Error creating journal transaction. Error: Inserting 'General ledger batch' record raised at least one error. Please review the errors.\r\nError: 'Ledger' cannot be empty.\r\n`;

/** INFERRED: a new fiscal year gets the chart of accounts of the latest earlier year (or the demo chart). */
export const NEW_YEAR_COPIES_CHART = true;
