import { generateKeyPairSync } from 'node:crypto';
import { FakeClientConfig, SalesforceFakeSeeder } from './salesforce-fake';

/**
 * The demo org: a few Accounts, Contacts whose phones are stored in the formats people really type (SOSL
 * must match all of them), one number shared by two Contacts (the "ambiguous" caller), one Contact with only a
 * mobile, and open and closed Cases. 555-01xx numbers are reserved for fiction.
 */

export const DEMO_CLIENT_ID = '3MVG9voiceCrmDemoClientId';
export const DEMO_CLIENT_SECRET = 'demo-client-secret';
export const DEMO_USERNAME = 'integration@voice-crm.demo';
export const DEMO_AUDIENCE = 'https://login.salesforce.com';
export const DEMO_REFRESH_TOKEN = '5Aep861demoVoiceCrmRefreshToken';

export interface DemoCredentials {
  clientId: string;
  clientSecret: string;
  username: string;
  audience: string;
  refreshToken: string;
  /** PKCS#8 PEM of the key that signs JWT assertions (generated at start-up, never stored in the repo). */
  privateKeyPem: string;
}

export interface DemoOrg {
  clients: FakeClientConfig[];
  credentials: DemoCredentials;
  seed: (seeder: SalesforceFakeSeeder) => void;
}

const DAY_MS = 86_400_000;

/** Ids and numbers of the seeded records, for scripts that want to refer to them. */
export interface DemoOrgRecords {
  accounts: Record<'acme' | 'globex' | 'initech', string>;
  contacts: Record<'jane' | 'john' | 'maria' | 'wei' | 'alex' | 'sam' | 'priya', string>;
  cases: Record<'janeBilling' | 'janeLogin' | 'johnRouter' | 'mariaAddress' | 'acmePricing', string>;
  /** Knowledge__kav versions: only `passwordOnline`, `routerOnline`, `passwordKo` and `passwordEs` are published. */
  articles: Record<
    'passwordOnline' | 'passwordDraft' | 'passwordArchived' | 'routerOnline' | 'passwordKo' | 'passwordEs',
    string
  >;
}

/** What the demo org's published English password article answers (tests and the demo compare with it). */
export const DEMO_PASSWORD_ANSWER =
  'To reset your portal password, open the sign-in page and choose Forgot password. Enter the email address on your account, and we will send you a reset link that works for one hour.';

export function seedDemoOrg(seeder: SalesforceFakeSeeder): DemoOrgRecords {
  const daysAgo = (days: number) => new Date(seeder.now() - days * DAY_MS).toISOString();
  const account = (Name: string, AccountNumber: string, Phone: string) =>
    seeder.insert('Account', { Name, AccountNumber, Phone });
  const accounts = {
    acme: account('Acme Corporation', 'ACME-1001', '(415) 555-0199'),
    globex: account('Globex Industries', 'GLX-2002', '+1 212 555 0150'),
    initech: account('Initech', 'INI-3003', '650.555.0175'),
  };
  const contact = (fields: Record<string, unknown>) => seeder.insert('Contact', fields);
  const contacts = {
    jane: contact({
      FirstName: 'Jane',
      LastName: 'Doe',
      Phone: '(415) 555-0100',
      Email: 'jane.doe@acme.example',
      AccountId: accounts.acme,
      MailingStreet: '1 Market St',
      MailingCity: 'San Francisco',
      MailingState: 'CA',
      MailingPostalCode: '94105',
      MailingCountry: 'US',
    }),
    john: contact({ FirstName: 'John', LastName: 'Smith', Phone: '415.555.0101', AccountId: accounts.acme }),
    maria: contact({
      FirstName: 'Maria',
      LastName: 'Garcia',
      Phone: '+1 415 555 0102',
      Email: 'maria.garcia@globex.example',
      AccountId: accounts.globex,
    }),
    wei: contact({ FirstName: 'Wei', LastName: 'Chen', Phone: '4155550103', AccountId: accounts.initech }),
    // Two people behind one number (a shared office line): the "ambiguous" caller.
    alex: contact({
      FirstName: 'Alex',
      LastName: 'Morgan',
      Phone: '(415) 555-0104',
      AccountId: accounts.globex,
    }),
    sam: contact({
      FirstName: 'Sam',
      LastName: 'Morgan',
      Phone: '415-555-0104',
      AccountId: accounts.initech,
    }),
    // Mobile only.
    priya: contact({
      FirstName: 'Priya',
      LastName: 'Patel',
      MobilePhone: '+14155550105',
      AccountId: accounts.acme,
    }),
  };
  const kase = (fields: Record<string, unknown>) => seeder.insert('Case', { Origin: 'Phone', ...fields });
  const cases = {
    janeBilling: kase({
      Subject: 'Invoice shows a double charge',
      Description: 'The October invoice lists the subscription twice.',
      Status: 'Working',
      Priority: 'High',
      Type: 'Billing',
      ContactId: contacts.jane,
      CreatedDate: daysAgo(3),
    }),
    janeLogin: kase({
      Subject: 'Cannot log in to the portal',
      Status: 'Closed',
      Priority: 'Medium',
      Type: 'Technical',
      ContactId: contacts.jane,
      CreatedDate: daysAgo(40),
      ClosedDate: daysAgo(38),
    }),
    johnRouter: kase({
      Subject: 'Router keeps dropping the connection',
      Status: 'New',
      Priority: 'Medium',
      Type: 'Technical',
      ContactId: contacts.john,
      CreatedDate: daysAgo(1),
    }),
    mariaAddress: kase({
      Subject: 'Update the billing address',
      Status: 'Closed',
      Priority: 'Low',
      Type: 'Account',
      ContactId: contacts.maria,
      CreatedDate: daysAgo(10),
      ClosedDate: daysAgo(9),
    }),
    acmePricing: kase({
      Subject: 'Request for volume licence pricing',
      Status: 'Escalated',
      Priority: 'High',
      Type: 'Other',
      AccountId: accounts.acme,
      CreatedDate: daysAgo(5),
    }),
  };
  const article = (fields: Record<string, unknown>) =>
    seeder.insert('Knowledge__kav', { Language: 'en_US', IsLatestVersion: true, ...fields });
  const articles = {
    passwordOnline: article({
      Title: 'Reset your portal password',
      UrlName: 'reset-portal-password',
      ArticleNumber: '000001001',
      PublishStatus: 'Online',
      Summary: 'How to reset a forgotten portal password.',
      Answer__c: `<p>${DEMO_PASSWORD_ANSWER.replace('Forgot password', '<b>Forgot password</b>')}</p><p>If the link has expired, simply ask for a new one. Links from older emails stop working once a new one is sent, so always use the most recent email &amp; check your spam folder.</p>`,
    }),
    // The next version, being edited: never read to a caller.
    passwordDraft: article({
      Title: 'Reset your portal password',
      UrlName: 'reset-portal-password',
      ArticleNumber: '000001001',
      PublishStatus: 'Draft',
      IsLatestVersion: false,
      Summary: 'Draft: password resets move to the new identity service.',
      Answer__c: '<p>DRAFT: call the internal reset hotline at extension 4471 to reset a password.</p>',
    }),
    passwordArchived: article({
      Title: 'Reset your portal password (2019)',
      UrlName: 'reset-portal-password-2019',
      ArticleNumber: '000000512',
      PublishStatus: 'Archived',
      IsLatestVersion: false,
      Summary: 'Old procedure for password resets.',
      Answer__c: '<p>ARCHIVED: email support to have your portal password reset by hand.</p>',
    }),
    routerOnline: article({
      Title: 'Restart your router',
      UrlName: 'restart-router',
      ArticleNumber: '000001002',
      PublishStatus: 'Online',
      Summary: 'Fix a dropping connection by restarting the router.',
      Answer__c:
        '<p>Unplug the router, wait thirty seconds and plug it back in. The lights turn green within two minutes.</p>',
    }),
    passwordKo: article({
      Title: '포털 비밀번호 재설정',
      UrlName: 'reset-portal-password-ko',
      ArticleNumber: '000001001',
      Language: 'ko',
      PublishStatus: 'Online',
      Summary: '잊어버린 포털 비밀번호를 재설정하는 방법 (portal password reset).',
      Answer__c:
        '<p>로그인 페이지에서 <b>비밀번호 찾기</b>를 선택하세요. 계정의 이메일 주소를 입력하면 한 시간 동안 유효한 재설정 링크를 보내 드립니다.</p>',
    }),
    passwordEs: article({
      Title: 'Restablecer la contraseña del portal',
      UrlName: 'reset-portal-password-es',
      ArticleNumber: '000001001',
      Language: 'es',
      PublishStatus: 'Online',
      Summary: 'Cómo restablecer una contraseña olvidada del portal (portal password reset).',
      Answer__c:
        '<p>Abra la página de inicio de sesión y elija <b>¿Olvidó su contraseña?</b>: le enviaremos un enlace válido durante una hora.</p>',
    }),
  };
  return { accounts, contacts, cases, articles };
}

/** The demo org with fresh credentials: one connected app allowed all three flows. */
export function createDemoOrg(): DemoOrg {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const credentials: DemoCredentials = {
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    username: DEMO_USERNAME,
    audience: DEMO_AUDIENCE,
    refreshToken: DEMO_REFRESH_TOKEN,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  return {
    credentials,
    clients: [
      {
        clientId: DEMO_CLIENT_ID,
        clientSecret: DEMO_CLIENT_SECRET,
        jwt: {
          publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          username: DEMO_USERNAME,
        },
        refreshTokens: [DEMO_REFRESH_TOKEN],
      },
    ],
    seed: (seeder) => {
      seedDemoOrg(seeder);
    },
  };
}
