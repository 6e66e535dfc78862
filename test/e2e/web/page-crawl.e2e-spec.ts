import { createTestApp, csrfFrom, type TestApp, webLogin } from '@netral/testing';
import { HtmlValidate } from 'html-validate';
import request from 'supertest';
import { DEMO_LOGINS } from '../../../apps/ledger/src/demo/demo.seeder';

/** What a page must never show an official: a value the template could not render (nor, below, a
 * compliance status as its code). */
const BROKEN = ['[object Object]', 'undefined', 'NaN', 'Invalid Date', 'null'];

/** The text a reader sees: no tags, no attribute values, entities as one character. */
const visibleText = (html: string): string =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[#\w]+;/g, ' ');

/** Same-site page links of a page: no API, documentation, assets, downloads or sign-out. */
const pageLinks = (html: string): string[] =>
  [...html.matchAll(/href="(\/[^"#]*)"/g)]
    .map(([, href]) => href.replace(/&amp;/g, '&'))
    .filter(
      (href) =>
        !/^\/(api|docs|assets|metrics|health)\b/.test(href) &&
        !/\.(csv|pdf|ndjson|txt|json)(\?|$)|\/pdf$|\/bukti\/|\/ekspor/.test(href),
    );

/** The markup itself: well-formed and valid HTML (nesting, unique ids, labelled controls, attributes
 * browsers and password managers act on), by html-validate's recommended rules, less the ones about how
 * the source is written rather than what it means. */
const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    'doctype-style': 'off', // `<!doctype html>`, as the HTML standard writes it
    'no-trailing-whitespace': 'off', // the templates' indentation
    'no-inline-style': 'off', // a coverage bar's width: the CSP allows style attributes, no <style>
    'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }],
  },
});

/** What the validator says of a page's markup, one line per finding. */
const markupProblems = async (html: string): Promise<string[]> => {
  const report = await validator.validateString(html);
  return report.results.flatMap((result) =>
    result.messages.map(
      (message) =>
        `line ${message.line}: ${message.ruleId}: ${message.message} (${message.selector ?? ''})`,
    ),
  );
};

/** The stylesheet, icon and scripts a page loads from the service itself. */
const assetLinks = (html: string): string[] =>
  [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map(([, href]) => href);

/**
 * Every page an official can reach by following links from the start page, as each demo login, on the
 * demo regency: each answers, and none shows a value the template could not render ("[object Object]",
 * "undefined", "NaN"…). A crawl finds the detail pages (a case, an ASN, a user, a certificate) with real
 * identifiers, which a route list cannot.
 */
describe('every page reachable from the start page renders (demo regency)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ NETRAL_DEMO: 'true' });
  }, 120_000);
  afterAll(() => t.close());

  it.each(DEMO_LOGINS.map((user) => [user.role, user.username, user.password] as const))(
    'as %s (%s)',
    async (_role, username, password) => {
      const agent = await webLogin(t, username, password);
      const seen = new Set<string>();
      const queue = ['/'];
      const problems: string[] = [];
      const assets = new Set<string>();
      // Per kind of page (the path without identifiers and query), a few instances are enough.
      const perKind = new Map<string, number>();
      while (queue.length > 0 && seen.size < 120) {
        const url = queue.shift()!;
        const kind = url.replace(/\?.*$/, '').replace(/\/[^/]*\d[^/]*/g, '/:id');
        if (seen.has(url) || (perKind.get(kind) ?? 0) >= 3) {
          continue;
        }
        seen.add(url);
        perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
        const res = await agent.get(url).set('Accept', 'text/html').redirects(5);
        if (res.status !== 200) {
          problems.push(`${url} → ${res.status}`);
          continue;
        }
        if (!String(res.headers['content-type']).startsWith('text/html')) {
          continue;
        }
        const text = visibleText(res.text);
        for (const token of BROKEN) {
          const at = text.search(
            new RegExp(`(^|[^\\w-])${token.replace(/[[\]]/g, '\\$&')}($|[^\\w-])`),
          );
          if (at !== -1) {
            problems.push(`${url}: “${text.slice(Math.max(0, at - 40), at + 40).trim()}”`);
          }
        }
        problems.push(...(await markupProblems(res.text)).map((problem) => `${url}: ${problem}`));
        const code = /\b(TIDAK_PATUH|PERLU_TINDAK_LANJUT)\b/.exec(text);
        if (code) {
          problems.push(`${url}: the code ${code[1]} where its words belong`);
        }
        queue.push(...pageLinks(res.text).filter((href) => !seen.has(href)));
        assetLinks(res.text).forEach((href) => assets.add(href));
      }
      // What a page loads answers too (a missing icon is a 404 in every browser's console).
      for (const href of assets) {
        const res = await agent.get(href);
        if (res.status !== 200) {
          problems.push(`${href} → ${res.status}`);
        }
      }

      expect(problems).toEqual([]);
      expect(seen.size).toBeGreaterThan(3);
      expect([...assets]).toEqual(
        expect.arrayContaining(['/assets/netral.css', '/assets/favicon.svg']),
      );
    },
    120_000,
  );

  it('the public pages, a refused sign-in and a form sent back with its errors are valid markup too', async () => {
    const anonymous = request.agent(t.server);
    const answers: [string, { status: number; text: string }][] = [];
    for (const path of ['/login', '/verifikasi', '/v/SERTIFIKAT-TIDAK-ADA']) {
      answers.push([path, await anonymous.get(path).set('Accept', 'text/html')]);
    }
    const refused = await anonymous
      .post('/login')
      .type('form')
      .send({ username: 'admin', password: 'bukan-sandinya', _csrf: csrfFrom(answers[0][1].text) });
    answers.push(['refused sign-in', refused]);
    const admin = DEMO_LOGINS.find((login) => login.role === 'ADMIN')!;
    const agent = await webLogin(t, admin.username, admin.password);
    const form = await agent.get('/pemilihan').expect(200);
    const sentBack = await agent
      .post('/pemilihan')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        electionId: 'pemilu-2029',
        name: 'Pemilu 2029',
        kind: 'PEMILU',
        votingDay: '2029-02-14',
        monitoringFrom: '2029-01-14',
        monitoringUntil: '2029-02-01', // before the voting day
      });
    answers.push(['election form with an error', sentBack]);

    expect(answers.map(([path, res]) => [path, res.status])).toEqual([
      ['/login', 200],
      ['/verifikasi', 200],
      ['/v/SERTIFIKAT-TIDAK-ADA', 404],
      ['refused sign-in', 401],
      ['election form with an error', 400],
    ]);
    const problems: string[] = [];
    for (const [path, res] of answers) {
      problems.push(...(await markupProblems(res.text)).map((problem) => `${path}: ${problem}`));
    }
    expect(problems).toEqual([]);
  });

  it('names every role in words, the service itself as "Sistem" (the demo users were registered by it)', async () => {
    const bawaslu = DEMO_LOGINS.find((login) => login.role === 'BAWASLU')!;
    const agent = await webLogin(t, bawaslu.username, bawaslu.password);
    const page = await agent.get('/audit?type=UserRegistered').expect(200);
    expect(page.text).toContain('<span class="muted">Sistem</span>');
    expect(page.text).not.toContain('>SYSTEM<');
  });

  it("/kasus counts, in its heading, the cases its two filters list (the demo regency's overdue and waiting ones)", async () => {
    const hr = DEMO_LOGINS.find((login) => login.role === 'HR')!;
    const agent = await webLogin(t, hr.username, hr.password);
    const page = (await agent.get('/kasus').expect(200)).text;
    const overdue = Number(/(\d+) melewati tenggat<\/strong>/.exec(page)?.[1]);
    const waiting = Number(/>(\d+) menunggu keputusan sanksi PPK<\/a>/.exec(page)?.[1]);
    const listed = async (filter: string) =>
      Number(
        /<p class="muted">(\d+) kasus/.exec(
          (await agent.get(`/kasus?${filter}`).expect(200)).text,
        )?.[1],
      );
    expect(overdue).toBeGreaterThan(0);
    expect(waiting).toBe(2);
    expect(await listed('overdue=ya')).toBe(overdue);
    expect(await listed('sanctionPending=ya')).toBe(waiting);
  });
});
