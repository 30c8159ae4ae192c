import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { groupCertificate, participantCertificate } from '../../../src/lib/server/awards/certificate';

// Every name exactly as written, read back out of the PDF as text: Helvetica printed
// "?ukasz Wisniewski" for Łukasz Wiśniewski.

const NAMES = [
	['Polish', 'Łukasz Wiśniewski-Dąbrowski'],
	['Polish', 'Łucja Żółkiewska'],
	['Czech', 'Šimon Žák Řeháček'],
	['Lithuanian', 'Gintarė Žemaitytė-Čiurlionienė'],
	['Romanian', 'Ștefan Țurcanu Ăâî'],
	['Turkish', 'Çağrı Yılmaz İşçi'],
	['Irish', 'Seán Ó Súilleabháin'],
	['Irish, with Excel’s apostrophe', 'Zoë O’Connor'],
	['Greek', 'Γιώργος Παπαδόπουλος'],
	['Cyrillic (Russian)', 'Дмитрий Иванов'],
	['Cyrillic (Ukrainian)', 'Ївга Ґудзь-Єрмоленко'],
	['Hungarian', 'Ödön Győrffy'],
	['Latvian', 'Kārlis Ņikitins']
] as const;

/** The text of every page, each text run on its own line. */
async function pdfText(bytes: Uint8Array): Promise<string[]> {
	const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
	const lines: string[] = [];
	for (let n = 1; n <= doc.numPages; n++) {
		const content = await (await doc.getPage(n)).getTextContent();
		for (const item of content.items) if ('str' in item && item.str.trim()) lines.push(item.str);
	}
	await doc.destroy();
	return lines;
}

const participant = (youngPersonName: string) =>
	participantCertificate({
		levelLabel: 'Discovery',
		youngPersonName,
		groupName: 'Samphire Hoe Rangers',
		achievedOn: '2019-06-01',
		partnershipName: 'Dover District Safer Stronger Communities Partnership'
	});

describe('certificates in any Latin, Greek or Cyrillic name', () => {
	it.each(NAMES)('prints a %s name exactly as written: %s', async (_language, name) => {
		expect(await pdfText(await participant(name))).toContain(name);
	});

	it('prints every name on a group certificate exactly as written', async () => {
		const bytes = await groupCertificate({
			groupName: 'Žemaitė Explorers',
			leaderName: 'Ana Țurcanu',
			trustReference: 'JMT-1234',
			partnershipName: 'Dover District Safer Stronger Communities Partnership',
			participants: NAMES.map(([, name]) => ({ name, levelLabel: 'Discovery', achievedOn: '2019-06-01' }))
		});
		const text = await pdfText(bytes);
		for (const [, name] of NAMES) expect(text).toContain(name);
		expect(text).toContain('Žemaitė Explorers');
	});

	it('keeps a certificate small: the font is subset to the letters it uses', async () => {
		const bytes = await participant('Łukasz Wiśniewski');
		expect(bytes.byteLength).toBeLessThan(60_000);
	});

	it('draws a letter outside the font as the nearest it has, never an empty box', async () => {
		expect(await pdfText(await participant('Li 李 Wei'))).toContain('Li ? Wei');
	});
});
