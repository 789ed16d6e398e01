/**
 * Deterministic demo data for the Nmbrs simulator (used by `npm start` and the tests).
 * The token below is a local demo value, valid only against this simulator.
 */
import { payrollTransaction, pct, standardComponents } from './journal';
import { ANNUAL_DOCUMENT_CALLS } from '../annual-documents';
import type { Company, CompanyAddress, Debtor, Employee, NmbrsUser, Run, WageCode, WageTaxDeclaration } from './types';

export interface NmbrsData {
  debtors: Debtor[];
  companies: Company[];
  runs: Run[];
  users: NmbrsUser[];
  /** Added for Nmbrs ↔ Mijn Kantoor; state files from before have none (loaded as empty). */
  employees: Employee[];
  wageTaxes: WageTaxDeclaration[];
  addresses: CompanyAddress[];
}

/**
 * The demo login. Its user template has every SalaryDocuments_AnnualDocument_* call Inactive, as a
 * fresh template often has (seed 001 step 3: switch them to Actief for the jaarwerk).
 */
export const DEMO_USER: NmbrsUser = {
  username: 'demo@koppelwerk.nl',
  token: 'demo-nmbrs-token',
  domain: 'demo',
  inactiveCalls: [...ANNUAL_DOCUMENT_CALLS],
};

export const DEMO_DEBTOR_ID = 501;
export const EB_BEDRIJF_ID = 1001;
export const BAKKERIJ_ID = 1002;
export const DEMO_YEAR = 2026;

/**
 * Run IDs are global in Nmbrs (auto-increment), so the extra run of period 9 sits between the
 * regular runs of periods 9 and 10.
 */
export const DEMO_RUN_IDS = {
  ebBedrijf: {
    regular: [41001, 41002, 41003, 41004, 41005, 41006, 41007, 41008, 41009, 41011] as const,
    /** Locked "bijzondere run" in period 9; uses dim1 4105, which e-Boekhouden's demo chart lacks. */
    extraPeriod9: 41010,
    /** The open (unlocked) run of the current period 10. */
    current: 41011,
  },
  bakkerij: { periods1to2: 42001, period3: 42002 },
  /** EB Bedrijf's closed year before: one locked run, so a bulk jaarwerk for that year has something to fetch. */
  ebBedrijfPreviousYear: 40912,
} as const;

const MAANDEN = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

const WAGE_CODES: WageCode[] = [
  { code: 1, description: 'Salaris' },
  { code: 2, description: 'Uurloon' },
  { code: 10, description: 'Overwerk 125%' },
  { code: 100, description: 'Vakantietoeslag' },
  { code: 160, description: 'Bonus' },
  { code: 420, description: 'Reiskostenvergoeding onbelast' },
  { code: 500, description: 'Pensioenpremie werknemer' },
  { code: 700, description: 'Loonheffing' },
];

/** EB Bedrijf gross wages per month in cents: four employees, a fifth from July, vakantiegeld in May. */
function ebBedrijfGross(period: number): number {
  const base = 1_485_000 + (period >= 7 ? 315_000 : 0);
  const overtime = 3_750 * ((period * 7) % 5);
  const vakantiegeld = period === 5 ? 1_425_600 : 0;
  return base + overtime + vakantiegeld;
}

function runAt(year: number, month: number, day: number, time: string): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${time}`;
}

function ebBedrijfRuns(): Run[] {
  const runs: Run[] = [];
  const ids = DEMO_RUN_IDS.ebBedrijf;
  for (let period = 1; period <= 10; period++) {
    const id = ids.regular[period - 1];
    runs.push({
      id,
      companyId: EB_BEDRIJF_ID,
      number: id - 41000,
      year: DEMO_YEAR,
      periodStart: period,
      periodEnd: period,
      description: `Salarisrun ${MAANDEN[period - 1]} ${DEMO_YEAR}`,
      runAt: runAt(DEMO_YEAR, period, 24, '10:15:00'),
      isLocked: period < 10,
      journal: [payrollTransaction(DEMO_YEAR, period, standardComponents(ebBedrijfGross(period)))],
      recalculations: 0,
    });
  }
  // Bonus at the special rate (bijzonder tarief), not pensionable, plus back-paid travel costs.
  const bonus = 240_000;
  runs.push({
    id: ids.extraPeriod9,
    companyId: EB_BEDRIJF_ID,
    number: ids.extraPeriod9 - 41000,
    year: DEMO_YEAR,
    periodStart: 9,
    periodEnd: 9,
    description: `Bijzondere run september ${DEMO_YEAR}: bonus en nabetaling reiskosten`,
    runAt: runAt(DEMO_YEAR, 9, 28, '14:30:00'),
    isLocked: true,
    journal: [
      payrollTransaction(DEMO_YEAR, 9, {
        gross: bonus,
        wageTax: pct(bonus, 3748),
        employerSocial: pct(bonus, 1860),
        pensionEmployer: 0,
        pensionEmployee: 0,
        travelAllowance: 48_640,
      }),
    ],
    recalculations: 0,
  });
  // The previous year, closed: its December run is locked (the jaarwerk's "als ze locked zijn").
  runs.push({
    id: DEMO_RUN_IDS.ebBedrijfPreviousYear,
    companyId: EB_BEDRIJF_ID,
    number: 12,
    year: DEMO_YEAR - 1,
    periodStart: 12,
    periodEnd: 12,
    description: `Salarisrun december ${DEMO_YEAR - 1}`,
    runAt: runAt(DEMO_YEAR - 1, 12, 22, '10:00:00'),
    isLocked: true,
    journal: [payrollTransaction(DEMO_YEAR - 1, 12, standardComponents(ebBedrijfGross(12)))],
    recalculations: 0,
  });
  return runs.sort((a, b) => a.id - b.id);
}

function bakkerijRuns(): Run[] {
  const ids = DEMO_RUN_IDS.bakkerij;
  return [
    {
      // The bakery joined in February, so its first run covers two periods: one transaction each.
      id: ids.periods1to2,
      companyId: BAKKERIJ_ID,
      number: 1,
      year: DEMO_YEAR,
      periodStart: 1,
      periodEnd: 2,
      description: `Salarisrun januari-februari ${DEMO_YEAR}`,
      runAt: runAt(DEMO_YEAR, 2, 25, '09:00:00'),
      isLocked: true,
      journal: [
        payrollTransaction(DEMO_YEAR, 1, standardComponents(2_143_000)),
        payrollTransaction(DEMO_YEAR, 2, standardComponents(2_151_240)),
      ],
      recalculations: 0,
    },
    {
      id: ids.period3,
      companyId: BAKKERIJ_ID,
      number: 2,
      year: DEMO_YEAR,
      periodStart: 3,
      periodEnd: 3,
      description: `Salarisrun maart ${DEMO_YEAR}`,
      runAt: runAt(DEMO_YEAR, 3, 25, '09:00:00'),
      isLocked: false,
      journal: [payrollTransaction(DEMO_YEAR, 3, standardComponents(2_149_875))],
      recalculations: 0,
    },
  ];
}

const FIRST_NAMES = ['Anna', 'Bram', 'Carla', 'Daan', 'Eva', 'Finn', 'Gijs', 'Hanna'];
const LAST_NAMES = ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'Bakker', 'Visser', 'Smit', 'Meijer'];

/** Demo employees: deterministic names, IBANs and net wages (employee ids are global in Nmbrs). */
export function demoEmployees(companyId: number, count: number, firstId: number): Employee[] {
  return Array.from({ length: count }, (_, i) => ({
    id: firstId + i,
    companyId,
    number: i + 1,
    displayName: `${FIRST_NAMES[(companyId + i) % FIRST_NAMES.length]} ${LAST_NAMES[(companyId * 3 + i) % LAST_NAMES.length]}`,
    employeeType: 1,
    iban: `NL${String(10 + ((companyId + i) % 89)).padStart(2, '0')}INGB${String(1_000_000_000 + companyId * 1000 + i).slice(-10)}`,
    netCents: 210_000 + ((companyId * 7 + i * 13) % 20) * 5_000,
  }));
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Monthly declarations of a company: `locked` up to `lockedThrough`, `open` after (statuses INFERRED, §8.4). */
export function demoWageTaxes(companyId: number, year: number, periods: number, lockedThrough: number, firstId: number): WageTaxDeclaration[] {
  return Array.from({ length: periods }, (_, i) => {
    const period = i + 1;
    return {
      id: firstId + i,
      companyId,
      serialNumber: period,
      year,
      period,
      status: period <= lockedThrough ? 'locked' : 'open',
      totalGeneral: 4_000 + ((companyId + period * 37) % 900),
      paymentReference: `${String(companyId).padStart(4, '0')}${year}${pad2(period)}0000`.slice(0, 16),
      sentAt: '0001-01-01T00:00:00',
      tijdvakStart: `${year}-${pad2(period)}-01T00:00:00`,
      tijdvakEnd: `${year}-${pad2(period)}-${lastDay(year, period)}T00:00:00`,
      correctionTijdvakStart: '0001-01-01T00:00:00',
      correctionTijdvakEnd: '0001-01-01T00:00:00',
      version: 1,
    };
  });
}

/** A fresh copy every call, so a reset never shares objects with mutated state. */
export function demoData(): NmbrsData {
  return {
    debtors: [{ id: DEMO_DEBTOR_ID, number: 1, name: 'Demo Debiteur B.V.', domain: 'demo', subscribed: true }],
    companies: [
      {
        id: EB_BEDRIJF_ID,
        debtorId: DEMO_DEBTOR_ID,
        number: 1,
        name: 'EB Bedrijf',
        periodType: 'M',
        loonaangifteTijdvak: 'Month',
        kvkNr: '12345678',
        email: 'salaris@ebbedrijf.example',
        currentYear: DEMO_YEAR,
        currentPeriod: 10,
        wageCodes: WAGE_CODES.map((w) => ({ ...w })),
      },
      {
        id: BAKKERIJ_ID,
        debtorId: DEMO_DEBTOR_ID,
        number: 2,
        name: 'Bakkerij De Korst',
        periodType: 'M',
        loonaangifteTijdvak: 'Month',
        kvkNr: '87654321',
        currentYear: DEMO_YEAR,
        currentPeriod: 3,
        wageCodes: WAGE_CODES.filter((w) => w.code !== 420).map((w) => ({ ...w })),
      },
    ],
    runs: [...ebBedrijfRuns(), ...bakkerijRuns()],
    users: [structuredClone(DEMO_USER)],
    employees: [...demoEmployees(EB_BEDRIJF_ID, 5, 7001), ...demoEmployees(BAKKERIJ_ID, 3, 7101)],
    wageTaxes: [...demoWageTaxes(EB_BEDRIJF_ID, DEMO_YEAR, 9, 8, 9001), ...demoWageTaxes(BAKKERIJ_ID, DEMO_YEAR, 3, 2, 9101)],
    addresses: [{ id: 8001, companyId: EB_BEDRIJF_ID, street: 'Stationsplein', houseNumber: '1', postalCode: '3511AA', city: 'Utrecht', countryISOCode: 'NL' }],
  };
}

export function emptyData(): NmbrsData {
  return { debtors: [], companies: [], runs: [], users: [], employees: [], wageTaxes: [], addresses: [] };
}
