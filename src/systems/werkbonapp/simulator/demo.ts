/**
 * Deterministic demo account for the WerkbonApp simulator (no clock, no randomness).
 *
 * Master data starts nearly empty: the koppeling imports hour types, materials and relations from
 * e-Boekhouden. The e-Boekhouden demo holds the catalogue below (same codes and prices); the
 * werkbonnen already use those codes, as they would after an earlier import.
 */
import type { Seed } from './state';
import { RELEASE_WORKSTATUS } from './inferred';

/** Local demo value only; never a real WerkbonApp token. */
export const DEMO_TOKEN = 'demo-werkbonapp-token';

/** sta_code of "1 naar E-boekhouden" (a guess, RELEASE_WORKSTATUS in inferred.ts): the office releases a bon for invoicing. */
export const DEMO_RELEASE_WORKSTATUS = RELEASE_WORKSTATUS;

/** What the e-Boekhouden demo offers as products/diensten (unit "Uur" for hour types). */
export const DEMO_CATALOG = {
  hourTypes: [
    { code: 'ARB', name: 'Arbeid', price: 55.0, unit: 'Uur' },
    { code: 'ARBM', name: 'Arbeid monteur', price: 62.5, unit: 'Uur' },
    { code: 'SPOED', name: 'Spoedtarief', price: 85.0, unit: 'Uur' },
  ],
  materials: [
    { code: 'MAT-KABEL', name: 'Installatiekabel YMvK 3x2,5 mm²', price: 2.15, unit: 'Meter' },
    { code: 'MAT-PVC', name: 'Installatiebuis PVC 16 mm', price: 0.85, unit: 'Meter' },
    { code: 'MAT-WCD', name: 'Wandcontactdoos dubbel met randaarde', price: 8.95, unit: 'Stuk' },
    { code: 'MAT-ALS', name: 'Aardlekschakelaar 40A 30mA', price: 64.5, unit: 'Stuk' },
    { code: 'MAT-WAGO', name: 'Wago lasklemmen 221-413 (doos 50 st.)', price: 18.75, unit: 'Doos' },
    { code: 'MAT-SCHR', name: 'Spaanplaatschroeven 4x40 (doos 200 st.)', price: 6.4, unit: 'Doos' },
  ],
} as const;

function material(code: string, quantity: number) {
  const m = DEMO_CATALOG.materials.find((x) => x.code === code);
  if (!m) throw new Error(`demo material ${code} missing`);
  return { MaterialCode: m.code, MaterialNr: quantity, MaterialPrice: m.price, MaterialName: m.name, MaterialUnit: m.unit };
}

function period(date: string, begin: string, end: string, hourType: string, employee: string, breakMin = 0) {
  return { WorkDate: date, BeginTime: begin, EndTime: end, Break: String(breakMin), HourType: hourType, EmployeeNr: employee, Travel: '0' };
}

const VAN_DER_BERG = {
  CustomerNameInvoice: 'Van der Berg Vastgoed B.V.',
  CustomerDebtorNrInvoice: 'REL001',
  CustomerStreetInvoice: 'Keizersgracht',
  CustomerStreetNoInvoice: '112',
  CustomerZIPInvoice: '1015 CV',
  CustomerCityInvoice: 'Amsterdam',
  CustomerContactPersonInvoice: 'dhr. P. van der Berg',
  CustomerEmailInvoice: 'facturen@vdbergvastgoed.nl',
  CustomerPhoneInvoice: '020-6231847',
};

const BAKKERIJ_JANSEN = {
  CustomerNameInvoice: 'Bakkerij Jansen V.O.F.',
  CustomerDebtorNrInvoice: 'REL002',
  CustomerStreetInvoice: 'Dorpsstraat',
  CustomerStreetNoInvoice: '14',
  CustomerZIPInvoice: '3732 HJ',
  CustomerCityInvoice: 'De Bilt',
  CustomerContactPersonInvoice: 'dhr. K. Jansen',
  CustomerEmailInvoice: 'administratie@bakkerijjansen.nl',
  CustomerPhoneInvoice: '030-2204518',
};

export function demoSeed(): Seed {
  return {
    hourtypes: [],
    materials: [],
    // Made in WerkbonApp by the office, not (yet) in e-Boekhouden: the koppeling has to create it there.
    relations: [
      {
        name: 'Huisartsenpraktijk De Linde',
        debtor_number: 'REL003',
        contact: 'mw. dr. L. Hoekstra',
        phone_number: '030-6914455',
        email: 'praktijk@huisartsdelinde.nl',
        email_workorder: 'praktijk@huisartsdelinde.nl',
        street: 'Lindelaan',
        house_number: '7',
        postal_code: '3701 BT',
        city: 'Zeist',
        remark: 'Ingang via de zijdeur, parkeren achter het gebouw.',
        latitude: null,
        longitude: null,
      },
    ],
    workstatusses: [
      { sta_code: DEMO_RELEASE_WORKSTATUS, sta_name: 'naar E-boekhouden' },
      { sta_code: '2', sta_name: 'Wacht op materiaal' },
      { sta_code: '3', sta_name: 'Klant niet thuis' },
      { sta_code: '4', sta_name: 'Controle kantoor' },
    ],
    employees: ['11', '12', '14'],
    workorders: [
      {
        // 1001: released for invoicing; work location is a tenant, the landlord pays.
        WorkorderNo: 'WB-2025-0101',
        ...VAN_DER_BERG,
        CustomerName: 'Fam. de Wit',
        CustomerDebtorNr: 'REL001',
        CustomerStreet: 'Van Woustraat',
        CustomerStreetNo: '58-2',
        CustomerZIP: '1073 LN',
        CustomerCity: 'Amsterdam',
        CustomerContactPerson: 'mw. E. de Wit',
        CustomerPhone: '06-41728390',
        TypeOfWork: 'Storing',
        WorkDescription: 'Aardlekschakelaar in groepenkast vervangen na storing; twee wandcontactdozen in de keuken vervangen en nieuwe kabel getrokken.',
        PaymentMethod: 'op rekening',
        EmployeeNr: '11',
        WorkDate: '03-03-2025',
        WorkTime: '08:00',
        status: 'Compleet',
        WorkStatus: DEMO_RELEASE_WORKSTATUS,
        Workperiods: [period('03-03-2025', '08:00', '10:45', 'ARBM', '11', 15)],
        Materials: [material('MAT-ALS', 1), material('MAT-WCD', 2), material('MAT-KABEL', 12.5)],
      },
      {
        // 1002: released; two employees, two hour types on one bon.
        WorkorderNo: 'WB-2025-0102',
        ...BAKKERIJ_JANSEN,
        TypeOfWork: 'Installatie',
        WorkDescription: 'Extra groep en zes wandcontactdozen geplaatst in de bakkerij (werkplaats achter), inclusief leidingwerk.',
        PaymentMethod: 'op rekening',
        EmployeeNr: '12',
        WorkDate: '04-03-2025',
        WorkTime: '07:30',
        status: 'Compleet',
        WorkStatus: DEMO_RELEASE_WORKSTATUS,
        Workperiods: [
          period('04-03-2025', '07:30', '12:00', 'ARB', '12', 15),
          period('04-03-2025', '12:30', '15:00', 'ARB', '12'),
          period('04-03-2025', '07:30', '11:30', 'ARBM', '14'),
        ],
        Materials: [material('MAT-WCD', 6), material('MAT-PVC', 20), material('MAT-KABEL', 35), material('MAT-WAGO', 1)],
      },
      {
        // 1003: released; evening emergency call for a relation that exists only in WerkbonApp.
        WorkorderNo: 'WB-2025-0103',
        CustomerDebtorNrInvoice: 'REL003',
        TypeOfWork: 'Storing',
        WorkDescription: 'Spoedmelding: stroomuitval in spreekkamer 2. Defecte groep hersteld, koelkast met vaccins weer op stroom.',
        PaymentMethod: 'op rekening',
        EmployeeNr: '11',
        WorkDate: '05-03-2025',
        WorkTime: '19:15',
        status: 'Compleet',
        WorkStatus: DEMO_RELEASE_WORKSTATUS,
        Workperiods: [period('05-03-2025', '19:30', '21:00', 'SPOED', '11')],
        Materials: [material('MAT-WAGO', 1)],
      },
      {
        // 1004: complete but still under review by the office: must NOT be invoiced.
        WorkorderNo: 'WB-2025-0104',
        ...VAN_DER_BERG,
        CustomerName: 'Fam. Bos',
        CustomerDebtorNr: 'REL001',
        CustomerStreet: 'Ceintuurbaan',
        CustomerStreetNo: '201-3',
        CustomerZIP: '1074 CX',
        CustomerCity: 'Amsterdam',
        CustomerContactPerson: 'dhr. T. Bos',
        CustomerPhone: '06-29384756',
        TypeOfWork: 'Onderhoud',
        WorkDescription: 'Periodieke inspectie elektrische installatie (NEN 3140), rapport bijgevoegd.',
        PaymentMethod: 'op rekening',
        EmployeeNr: '14',
        WorkDate: '06-03-2025',
        WorkTime: '09:00',
        status: 'Compleet',
        WorkStatus: '4',
        Workperiods: [period('06-03-2025', '09:00', '12:00', 'ARBM', '14')],
      },
      {
        // 1005: still with the employee (Opgehaald), waiting for a part.
        WorkorderNo: 'WB-2025-0105',
        ...BAKKERIJ_JANSEN,
        TypeOfWork: 'Reparatie',
        WorkDescription: 'Afzuigkap in de winkel maakt lawaai; motor besteld.',
        PaymentMethod: 'op rekening',
        EmployeeNr: '12',
        WorkDate: '07-03-2025',
        WorkTime: '08:00',
        status: 'Opgehaald',
        WorkStatus: '2',
        Workperiods: [period('07-03-2025', '08:00', '09:00', 'ARB', '12')],
      },
    ],
  };
}
