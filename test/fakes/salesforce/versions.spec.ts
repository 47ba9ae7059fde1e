import { startSalesforceFake, SalesforceFake } from './salesforce-fake';
import { apiClient, ApiClient, clientCredentialsToken } from './spec-helpers';

describe('Salesforce fake: API versions', () => {
  let fake: SalesforceFake;
  let client: ApiClient;
  let token: string;

  beforeAll(async () => {
    fake = await startSalesforceFake({ apiVersions: ['61.0', '62.0'] });
    client = await apiClient(fake);
    token = await clientCredentialsToken(fake);
  });
  afterAll(() => fake.close());

  it('should list the versions it serves without a token', async () => {
    const response = await fetch(`${fake.url}/services/data/`);

    expect(await response.json()).toEqual([
      { label: 'v61.0', url: '/services/data/v61.0', version: '61.0' },
      { label: 'v62.0', url: '/services/data/v62.0', version: '62.0' },
    ]);
  });

  it("should list a served version's resources and answer 404 under any other version", async () => {
    const root = await client.call('GET', '/');
    const other = await fetch(`${fake.url}/services/data/v99.0/limits`, {
      headers: { authorization: `Bearer ${token}` },
    });

    expect(root.status).toBe(200);
    expect(root.body.sobjects).toBe('/services/data/v62.0/sobjects');
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
  });
});
